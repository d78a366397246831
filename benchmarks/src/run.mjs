#!/usr/bin/env node
// `pnpm bench`: runs every workload in fresh processes (subjects alternating, medians of >= 3 runs with
// min–max), writes benchmarks/results/latest.json, docs/benchmarks.md and docs/benchmarks-chart.svg.
// Flags (accepted with or without a literal `--` before them): --quick (sanity run, under a minute, 1 run each),
// --only=<workload,...>, --runs=<n>, --no-docs (keep docs/ untouched), --no-build (never build a missing dist),
// --rebuild (build every measured package first, so the figures are of the current sources),
// --subjects=<subject,...> (measure only these subjects),
// --merge (the figures measured replace theirs in results/latest.json and docs/, per subject; the others are kept),
// --render (measure nothing: re-render docs/ from benchmarks/results/latest.json), --help.
// A partial run (--only or --subjects without --merge) writes results/partial.json and never touches docs/ or
// results/latest.json: those always hold one whole run (or a whole run with merged, noted re-measurements).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { load, machineFacts } from './lib/machine.mjs';
import { summarize } from './lib/stats.mjs';
import { ensureBuilt, sourceState } from './lib/build.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { renderChart } from './lib/chart.mjs';
import { METRICS } from './lib/metrics.mjs';
import { micro } from './plans/micro.mjs';
import { flood } from './plans/flood.mjs';
import { rest } from './plans/rest.mjs';
import { ready } from './plans/ready.mjs';
import { cache } from './plans/cache.mjs';
import { state } from './plans/state.mjs';
import { cluster } from './plans/cluster.mjs';
import { plugins } from './plans/plugins.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2).filter((arg) => arg !== '--');
const FLAGS = ['quick', 'no-docs', 'no-build', 'rebuild', 'merge', 'render', 'help'];
const OPTIONS = ['only', 'runs', 'subjects'];
const USAGE = `usage: pnpm bench [-- ${FLAGS.map((name) => `--${name}`).join(' ')} ${OPTIONS.map((name) => `--${name}=...`).join(' ')}] (see benchmarks/README.md)`;
// A mistyped flag must not start a half-hour run that rewrites the report.
const unknown = argv.filter(
	(arg) => !FLAGS.some((name) => arg === `--${name}`) && !OPTIONS.some((name) => arg.startsWith(`--${name}=`)),
);
if (unknown.length > 0 || argv.includes('--help')) {
	if (unknown.length > 0) console.error(`unknown argument(s): ${unknown.join(' ')}`);
	console.error(USAGE);
	process.exit(unknown.length > 0 ? 2 : 0);
}
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick') || process.env.BENCH_QUICK === '1';
const only = option('only')?.split(',');
const runsOverride = option('runs') === undefined ? undefined : Number(option('runs'));
const subjectsFilter = option('subjects')?.split(',');
const partial = (only !== undefined || subjectsFilter !== undefined) && !flag('merge');
const writeDocs = !flag('no-docs') && !quick && !partial;

const resultsDir = join(root, 'benchmarks', 'results');
if (flag('render')) {
	const saved = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'));
	saved.targets = judge(
		saved.figures,
		saved.workloads.map((workload) => workload.id),
	);
	// Descriptions are prose, not measurements: take the plans' current text.
	for (const workload of saved.workloads)
		workload.description =
			[ready, flood, rest, micro, cache, state, plugins, cluster].find((plan) => plan.id === workload.id)
				?.description ?? workload.description;
	writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(saved, null, '\t')}\n`);
	publish(saved, true);
	process.exit(0);
}

const plans = [ready, flood, rest, micro, cache, state, plugins, cluster].filter(
	(plan) => only === undefined || only.includes(plan.id),
);
const started = Date.now();
const loadBefore = load();
console.log(`OvenJS benchmarks${quick ? ' (--quick: small sizes, 1 run each; figures are a sanity check only)' : ''}`);
console.log(`machine: ${JSON.stringify(machineFacts())}, load ${loadBefore.join(' ')}`);

const build = flag('no-build') ? { built: [], failed: {} } : ensureBuilt(root, flag('rebuild'));
for (const [name, reason] of Object.entries(build.failed))
	console.log(`  build of ${name} failed (its figures will be "not available"): ${reason}`);

const samples = {};
const unavailable = {};
const errors = [];
const notes = {};
for (const plan of plans) {
	const runs = runsOverride ?? plan.runs(quick);
	console.log(`\n▶ ${plan.title}: ${plan.subjects.join(', ')} × ${runs} run(s), alternating`);
	await plan.setup?.({ quick });
	for (let run = 0; run < runs; run++) {
		// Alternate the order (A B C, C B A, ...) so drift in machine load does not favour one side.
		const subjects = plan.subjects.filter(
			(subject) => subjectsFilter === undefined || subjectsFilter.includes(subject),
		);
		const order = run % 2 === 0 ? subjects : [...subjects].reverse();
		for (const subject of order) {
			const t0 = Date.now();
			let result;
			try {
				result = await plan.runOnce(subject, { quick, run });
			} catch (error) {
				result = {
					status: 'error',
					reason: error instanceof Error ? (error.stack ?? error.message) : String(error),
				};
			}
			const seconds = ((Date.now() - t0) / 1000).toFixed(1);
			if (result.status === 'ok') {
				for (const [metric, value] of Object.entries(result.metrics)) {
					((samples[metric] ??= {})[subject] ??= []).push(value);
				}
				for (const [metric, reason] of Object.entries(result.unavailable ?? {}))
					(unavailable[metric] ??= {})[subject] = reason;
				for (const [key, value] of Object.entries(result.notes ?? {})) notes[key] = value;
				console.log(`  ${subject} #${run + 1}: ok (${seconds} s) ${brief(result.metrics)}`);
			} else if (result.status === 'unavailable') {
				for (const metric of plan.metrics ?? metricsOf(plan.id))
					(unavailable[metric] ??= {})[subject] ??= result.reason;
				console.log(`  ${subject} #${run + 1}: not available — ${result.reason}`);
			} else {
				errors.push({ workload: plan.id, subject, run: run + 1, reason: result.reason });
				for (const metric of plan.metrics ?? metricsOf(plan.id))
					(unavailable[metric] ??= {})[subject] ??= `crashed: ${firstLine(result.reason)}`;
				console.log(`  ${subject} #${run + 1}: ERROR — ${result.reason}`);
			}
		}
	}
	await plan.teardown?.();
}

const figures = {};
for (const [metric, bySubject] of Object.entries(samples)) {
	figures[metric] = {};
	for (const [subject, values] of Object.entries(bySubject)) {
		const summary = summarize(values);
		if (summary !== undefined) figures[metric][subject] = { ...summary, samples: values };
	}
}
// Derived rows (a ratio of two subjects' medians), computed from the measured ones.
for (const [metric, meta] of Object.entries(METRICS)) {
	if (meta.derive === undefined) continue;
	const derived = meta.derive(figures);
	if (derived !== undefined) figures[metric] = derived;
}
const targets = judge(
	figures,
	plans.map((plan) => plan.id),
);

const report = {
	date: new Date().toISOString(),
	quick,
	durationSeconds: Math.round((Date.now() - started) / 1000),
	machine: { ...machineFacts(), loadBefore, loadAfter: load() },
	workloads: plans.map((plan) => ({
		id: plan.id,
		subjects: plan.subjects,
		runs: runsOverride ?? plan.runs(quick),
		description: plan.description,
	})),
	figures,
	unavailable,
	targets,
	notes,
	errors,
	build,
	sources: sourceState(root),
};
// --merge: the workloads measured now replace theirs in results/latest.json; the others are kept, with a note.
let ranSeconds = report.durationSeconds;
if (flag('merge') && !quick) {
	const saved = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'));
	const measured = new Set(plans.map((plan) => plan.id));
	// Per metric and subject: a run with --subjects replaces only those subjects' figures.
	const mergeBySubject = (old, now) => {
		const merged = { ...old };
		for (const [metric, bySubject] of Object.entries(now)) merged[metric] = { ...old[metric], ...bySubject };
		return merged;
	};
	const order = [ready, flood, rest, micro, cache, state, plugins, cluster].map((plan) => plan.id);
	report.workloads = [...saved.workloads.filter((workload) => !measured.has(workload.id)), ...report.workloads].sort(
		(a, b) => order.indexOf(a.id) - order.indexOf(b.id),
	);
	report.figures = mergeBySubject(saved.figures, report.figures);
	report.unavailable = mergeBySubject(saved.unavailable, report.unavailable);
	for (const [metric, meta] of Object.entries(METRICS)) {
		if (meta.derive === undefined) continue;
		const derived = meta.derive(report.figures);
		if (derived !== undefined) report.figures[metric] = derived;
	}
	const who = subjectsFilter === undefined ? 'every subject' : subjectsFilter.join(', ');
	report.notes = {
		...saved.notes,
		[`${[...measured].join(', ')} (${who})`]: `re-measured on ${report.date} (commit ${report.sources.commit}) in a separate \`pnpm bench --only=${[...measured].join(',')}${subjectsFilter === undefined ? '' : ` --subjects=${subjectsFilter.join(',')}`} --merge\` run; the other figures are from the run of ${saved.date} (commit ${saved.sources?.commit ?? '?'}).`,
	};
	// The header stays the whole run's (its date, duration, machine and sources); the merge is listed under it.
	report.merged = [
		...(saved.merged ?? []).filter((merge) => !merge.workloads.every((id) => measured.has(id))),
		{
			workloads: [...measured],
			subjects: who,
			date: report.date,
			durationSeconds: report.durationSeconds,
			commit: report.sources.commit,
			uncommitted: report.sources.uncommitted,
			loadBefore: report.machine.loadBefore,
			loadAfter: report.machine.loadAfter,
		},
	];
	report.date = saved.date;
	ranSeconds = report.durationSeconds;
	report.durationSeconds = saved.durationSeconds;
	report.machine = saved.machine;
	report.sources = saved.sources;
	report.targets = judge(
		report.figures,
		report.workloads.map((workload) => workload.id),
	);
	report.errors = [...saved.errors.filter((error) => !measured.has(error.workload)), ...report.errors];
}
mkdirSync(resultsDir, { recursive: true });
// A quick or partial run never replaces the full results.
const resultsName = quick ? 'quick' : partial ? 'partial' : 'latest';
writeFileSync(join(resultsDir, `${resultsName}.json`), `${JSON.stringify(report, null, '\t')}\n`);
publish(report, writeDocs);
console.log(`wrote benchmarks/results/${resultsName}.json in ${ranSeconds} s`);
// Unavailable sides are reported, not failures; only a crash of a measured run fails the command.
process.exit(errors.length > 0 ? 1 : 0);

/** Judges every target of the workloads that ran. */
function judge(figures, workloadIds) {
	const targets = {};
	for (const [metric, meta] of Object.entries(METRICS)) {
		if (meta.target === undefined || !workloadIds.includes(meta.workload)) continue;
		const fig = figures[metric] ?? {};
		targets[metric] = meta.target(
			fig.ovenjs?.median,
			{ discordjs: fig.discordjs?.median, ceiling: fig.ceiling?.median },
			figures,
			fig.ovenjs,
		);
	}
	return targets;
}

/** Prints the markdown and, unless `toDocs` is false, writes docs/benchmarks.md and the chart. */
function publish(report, toDocs) {
	const markdown = renderMarkdown(report, root);
	if (toDocs) {
		writeFileSync(join(root, 'docs', 'benchmarks.md'), markdown);
		writeFileSync(join(root, 'docs', 'benchmarks-chart.svg'), renderChart(report));
		console.log('wrote docs/benchmarks.md and docs/benchmarks-chart.svg');
	}
	console.log(`\n${markdown}`);
}

function metricsOf(workload) {
	return Object.entries(METRICS)
		.filter(([, meta]) => meta.workload === workload)
		.map(([id]) => id);
}

function brief(metrics) {
	return Object.entries(metrics)
		.slice(0, 4)
		.map(([key, value]) => `${key}=${Number.isInteger(value) ? value : value.toPrecision(4)}`)
		.join(' ');
}

function firstLine(text) {
	return String(text).split('\n')[0].slice(0, 200);
}
