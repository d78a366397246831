/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// A small SVG bar chart of the main advantage ratios (OvenJS vs discord.js and vs the ceiling), for the README.
import { METRICS } from './metrics.mjs';
import { advantage } from './report.mjs';

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SVG text: one row per chart metric, two bars (vs discord.js, vs ceiling) on a log scale centred on 1×. */
export function renderChart(report) {
	const rows = [];
	for (const [id, meta] of Object.entries(METRICS)) {
		if (meta.chart !== true) continue;
		const fig = report.figures[id];
		const oven = fig?.ovenjs?.median;
		rows.push({
			label: meta.chartLabel ?? meta.label,
			djs: advantage(meta, oven, fig?.discordjs?.median),
			ceiling: advantage(meta, oven, fig?.ceiling?.median),
		});
	}
	const width = 760;
	const labelWidth = 300;
	// A gap between the labels and the bars leaves room for the value of a bar that reaches the left edge.
	const left = labelWidth + 48;
	const barArea = width - left - 60;
	const rowHeight = 34;
	const top = 56;
	const height = top + rows.length * rowHeight + 40;
	const maxLog = Math.log10(8);
	const centre = left + barArea / 2;
	const x = (ratio) =>
		Math.round((centre + (Math.max(-maxLog, Math.min(maxLog, Math.log10(ratio))) / maxLog) * (barArea / 2)) * 10) /
		10;
	const out = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
	);
	out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
	out.push(
		`<text x="12" y="22" font-size="15" font-weight="600">OvenJS advantage ratio (log scale, &gt; 1× = OvenJS better)</text>`,
	);
	out.push(
		`<rect x="${labelWidth}" y="32" width="10" height="10" fill="#e8590c"/><text x="${labelWidth + 14}" y="41">vs discord.js</text>`,
	);
	out.push(
		`<rect x="${labelWidth + 110}" y="32" width="10" height="10" fill="#495057"/><text x="${labelWidth + 124}" y="41">vs ceiling</text>`,
	);
	for (const tick of [0.125, 0.25, 0.5, 1, 2, 4, 8]) {
		const tx = x(tick);
		out.push(
			`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${height - 30}" stroke="${tick === 1 ? '#212529' : '#dee2e6'}" stroke-width="${tick === 1 ? 1.5 : 1}"/>`,
		);
		out.push(`<text x="${tx}" y="${height - 16}" text-anchor="middle" fill="#495057">${tick}×</text>`);
	}
	rows.forEach((row, i) => {
		const y = top + i * rowHeight;
		out.push(`<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escape(row.label)}</text>`);
		const bars = [
			['djs', '#e8590c', 4],
			['ceiling', '#495057', 17],
		];
		for (const [key, colour, dy] of bars) {
			const ratio = row[key];
			if (ratio === undefined) {
				out.push(`<text x="${centre + 4}" y="${y + dy + 9}" fill="#868e96" font-size="10">n/a</text>`);
				continue;
			}
			const x1 = Math.min(centre, x(ratio));
			const w = Math.max(1, Math.abs(x(ratio) - centre));
			out.push(`<rect x="${x1.toFixed(1)}" y="${y + dy}" width="${w.toFixed(1)}" height="11" fill="${colour}"/>`);
			const tx = ratio >= 1 ? x1 + w + 4 : x1 - 4;
			out.push(
				`<text x="${tx.toFixed(1)}" y="${y + dy + 9}" font-size="10" text-anchor="${ratio >= 1 ? 'start' : 'end'}">${ratio.toFixed(2)}×</text>`,
			);
		}
	});
	out.push(
		`<text x="12" y="${height - 4}" font-size="10" fill="#868e96">${escape(`${report.machine.cores} × ${report.machine.cpu}, Node ${report.machine.node}, ${report.date.slice(0, 10)}${report.quick ? ' (quick run)' : ''}`)}</text>`,
	);
	out.push('</svg>');
	return `${out.join('\n')}\n`;
}
