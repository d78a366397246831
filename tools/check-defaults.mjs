#!/usr/bin/env node
// Checks that every README options table states the defaults the code uses. For each package under packages/
// whose built entries (the main entry, and its public subpaths such as `/redis`; never `/internal`) export a
// `Default*Options` object, every markdown table of the package README with an option column (a header cell
// containing "option") and a `Default` column is matched to the object it documents (the one whose name its
// header or section names, else the one sharing the most option names), and each documented option that the
// object holds must show the same literal: `15_000` == 15000, 'x' == "x", `true`. Mismatches are reported with
// file:line and the text to write; the exit code is 1 when there is any. Run after `pnpm run build` (it reads
// dist/, as a user's import would); `pnpm run docs:check` runs it. `--root <dir>` checks another tree (tests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const rootFlag = process.argv.indexOf('--root');
const root =
	rootFlag > 0 && process.argv[rootFlag + 1] !== undefined
		? process.argv[rootFlag + 1]
		: fileURLToPath(new URL('..', import.meta.url));

/** A parsed markdown table: where it is, its section, its header and rows with their line numbers. */
function parseTables(markdown) {
	const lines = markdown.split('\n');
	const tables = [];
	let heading = '';
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (/^#{1,6}\s/.test(line)) heading = line.replace(/^#+\s*/, '');
		if (!line.startsWith('|') || !/^\|\s*:?-{3,}/.test(lines[i + 1] ?? '')) continue;
		const header = cells(line);
		const rows = [];
		let j = i + 2;
		for (; j < lines.length && lines[j].startsWith('|'); j++) rows.push({ line: j + 1, cells: cells(lines[j]) });
		tables.push({ line: i + 1, heading, header, rows });
		i = j - 1;
	}
	return tables;
}

/** The cells of a table row (`\|` inside a cell is text, not a separator). */
function cells(line) {
	const out = [];
	let cell = '';
	const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
	for (let i = 0; i < body.length; i++) {
		if (body[i] === '\\' && body[i + 1] === '|') {
			cell += '|';
			i++;
		} else if (body[i] === '|') {
			out.push(cell.trim());
			cell = '';
		} else cell += body[i];
	}
	out.push(cell.trim());
	return out;
}

/** The option names a cell documents: its code spans (`a` / `b` documents two). */
function optionNames(cell) {
	return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim()).filter((name) => /^[A-Za-z_$][\w$.]*$/.test(name));
}

/**
 * A literal as written in a Default cell: a number (`15_000`), a quoted string (either quotes), `true`/`false`,
 * `Infinity`, `null`. `{ ok: false }` when the text is not one of these (prose such as "a new `MemoryStore`").
 */
function parseLiteral(text) {
	const t = text.trim();
	if (/^[-+]?(\d[\d_]*)(\.\d+)?(e[-+]?\d+)?$/i.test(t)) return { ok: true, value: Number(t.replaceAll('_', '')) };
	if (/^'.*'$/.test(t) || /^".*"$/.test(t)) return { ok: true, value: t.slice(1, -1) };
	if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
	if (t === 'Infinity' || t === '-Infinity') return { ok: true, value: Number(t) };
	if (t === 'null') return { ok: true, value: null };
	return { ok: false, value: t };
}

/** How a default should be written in a README cell: `15_000`, `'Bot'`, `true`. */
function formatLiteral(value) {
	if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1_000) {
		const sign = value < 0 ? '-' : '';
		return sign + String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
	}
	if (typeof value === 'string') return `'${value}'`;
	return String(value);
}

/** The default cells' texts for `count` options (`250` / `5_000` documents two). */
function defaultTexts(cell, count) {
	const spans = [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
	if (spans.length >= count) return spans.slice(0, count);
	const parts = cell.split(/\s+\/\s+/);
	if (count > 1 && parts.length === count) return parts;
	return Array.from({ length: count }, () => spans[0] ?? cell);
}

function isPlainObject(value) {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		Object.getPrototypeOf(value) === Object.prototype
	);
}

/** "MemoryStore" of DefaultMemoryStoreOptions: what a table header or section names. */
function thingOf(name) {
	return name
		.replace(/^Default/, '')
		.replace(/Options$/, '')
		.toLowerCase();
}

/**
 * Compares one README with the defaults objects of its package. Returns the mismatches and how many options were
 * compared; `objects` maps export name → object.
 */
function checkReadme(markdown, objects, file) {
	const problems = [];
	let compared = 0;
	const documented = new Set();
	for (const table of parseTables(markdown)) {
		const optionColumn = table.header.findIndex((cell) => /option/i.test(cell));
		const defaultColumn = table.header.findIndex((cell) => cell.trim().toLowerCase() === 'default');
		if (optionColumn < 0 || defaultColumn < 0) continue;
		const context = `${table.header[optionColumn]} ${table.heading}`.toLowerCase().replaceAll('`', '');
		let best;
		let bestScore = 0;
		for (const [name, object] of Object.entries(objects)) {
			let score = 0;
			for (const row of table.rows)
				for (const option of optionNames(row.cells[optionColumn] ?? ''))
					if (Object.hasOwn(object, option)) score++;
			if (score > 0 && context.includes(thingOf(name))) score += 1_000;
			if (score > bestScore) {
				best = name;
				bestScore = score;
			}
		}
		if (best === undefined) continue;
		documented.add(best);
		const object = objects[best];
		for (const row of table.rows) {
			const names = optionNames(row.cells[optionColumn] ?? '');
			const texts = defaultTexts(row.cells[defaultColumn] ?? '', names.length);
			names.forEach((option, index) => {
				if (!Object.hasOwn(object, option)) return;
				const expected = object[option];
				if (expected !== null && typeof expected === 'object') return;
				if (typeof expected === 'function') return;
				compared++;
				const text = texts[index] ?? '';
				const literal = parseLiteral(text);
				const same = literal.ok
					? Object.is(literal.value, expected)
					: typeof expected === 'string' && literal.value === expected;
				if (!same) {
					problems.push(
						`${file}:${row.line}: \`${option}\` shows ${text === '' ? 'no default' : `\`${text}\``} but ${best}.${option} is ${formatLiteral(expected)}; write \`${formatLiteral(expected)}\` in its Default cell (or change ${best}).`,
					);
				}
			});
		}
	}
	return { problems, compared, documented };
}

/** The built files of a package's main entry and public subpaths (`./internal` and `./package.json` excluded). */
function entriesOf(pkgDir, manifest) {
	const out = [];
	for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
		if (subpath === './package.json' || subpath.includes('internal')) continue;
		const file =
			typeof target === 'string' ? target : (target?.import?.default ?? target?.import ?? target?.default);
		if (typeof file === 'string' && file.endsWith('.js')) out.push({ subpath, file: join(pkgDir, file) });
	}
	return out;
}

async function main() {
	const problems = [];
	const notes = [];
	let packages = 0;
	let compared = 0;
	for (const dir of readdirSync(join(root, 'packages')).sort()) {
		const pkgDir = join(root, 'packages', dir);
		const manifestFile = join(pkgDir, 'package.json');
		if (!existsSync(manifestFile)) continue;
		const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
		const objects = {};
		for (const { subpath, file } of entriesOf(pkgDir, manifest)) {
			if (!existsSync(file)) {
				if (subpath === '.')
					problems.push(
						`${manifest.name}: ${relative(root, file)} is missing; run \`pnpm run build\` first.`,
					);
				continue;
			}
			let mod;
			try {
				mod = await import(pathToFileURL(file).href);
			} catch (error) {
				// A subpath may need an optional peer that is not installed; the main entry must always load.
				const line = `${manifest.name}${subpath === '.' ? '' : subpath.slice(1)}: cannot be loaded (${error instanceof Error ? error.message : String(error)})`;
				if (subpath === '.') problems.push(line);
				else notes.push(`${line}; its defaults were not checked`);
				continue;
			}
			for (const [name, value] of Object.entries(mod))
				if (/^Default\w*Options$/.test(name) && isPlainObject(value)) objects[name] = value;
		}
		const names = Object.keys(objects);
		if (names.length === 0) continue;
		packages++;
		const readmeFile = join(pkgDir, 'README.md');
		if (!existsSync(readmeFile)) {
			problems.push(`${manifest.name} exports ${names.join(', ')} but has no README.md with an options table.`);
			continue;
		}
		const result = checkReadme(readFileSync(readmeFile, 'utf8'), objects, relative(root, readmeFile));
		problems.push(...result.problems);
		compared += result.compared;
		for (const name of names)
			if (!result.documented.has(name))
				notes.push(`${manifest.name}: no README table with Option/Default columns documents ${name}`);
	}
	for (const note of notes) console.log(`note: ${note}`);
	if (problems.length > 0) {
		for (const problem of problems) console.error(problem);
		console.error(`check-defaults: ${problems.length} README default(s) disagree with the code (see above).`);
		process.exit(1);
	}
	console.log(
		`check-defaults: ${compared} documented defaults in ${packages} packages agree with their Default*Options objects`,
	);
}

await main();
