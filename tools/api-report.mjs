#!/usr/bin/env node
// The public API of every package, pinned: API Extractor reads each package's built main entry
// (dist/types/index.d.ts, so run `pnpm run build` first) and writes packages/<pkg>/api/<pkg>.api.md.
//
//   node tools/api-report.mjs --check   fails (exit 1) when a report differs from the built types (CI: `pnpm run api:check`)
//   node tools/api-report.mjs --update  rewrites the reports (`pnpm run api:update`, commit the diff)
//   ... [package ...]                   only these packages (directory names under packages/)
//
// One TypeScript program holds every package's entry (API Extractor's shared CompilerState), so the declarations
// packages share (@ovenjs/types, discord-api-types) are parsed once, not once per package. API Extractor analyses
// with its bundled TypeScript compiler; it only reads declaration files, so the repository's own TypeScript version
// does not matter here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const mode = args.includes('--update') ? 'update' : args.includes('--check') ? 'check' : undefined;
const named = args.filter((arg) => !arg.startsWith('--'));
if (mode === undefined) {
	console.error('usage: node tools/api-report.mjs --check | --update [package ...]');
	process.exit(2);
}

const all = readdirSync(join(root, 'packages'))
	.filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
	.sort();
const unknown = named.filter((name) => !all.includes(name));
if (unknown.length > 0) {
	console.error(`api-report: no package ${unknown.join(', ')} under packages/ (known: ${all.join(', ')})`);
	process.exit(2);
}
const packages = named.length > 0 ? named : all;
const entryOf = (name) => join(root, 'packages', name, 'dist', 'types', 'index.d.ts');
const missing = packages.filter((name) => !existsSync(entryOf(name)));
if (missing.length > 0) {
	console.error(
		`api-report: ${missing.join(', ')} not built (no dist/types/index.d.ts): run \`pnpm run build\` first.`,
	);
	process.exit(1);
}

const { CompilerState, Extractor, ExtractorConfig } = createRequire(join(root, 'package.json'))(
	'@microsoft/api-extractor',
);
const started = Date.now();
const temp = mkdtempSync(join(tmpdir(), 'ovenjs-api-'));
const entries = packages.map(entryOf);
const configs = packages.map((name) => configOf(name));
const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: entries });
const failed = [];
for (const [index, name] of packages.entries()) {
	if (!runOne(name, configs[index])) failed.push(name);
}
rmSync(temp, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failed.length === 0) {
	console.log(
		`api-report: ${packages.length} report(s) ${mode === 'update' ? 'written' : 'match the built types'} (${seconds}s).`,
	);
} else {
	console.error(
		mode === 'check'
			? `api-report: the public API of ${failed.join(', ')} differs from packages/<pkg>/api/<pkg>.api.md (diffs above). If the change is meant, run \`pnpm run api:update\` and commit the reports.`
			: `api-report: failed for ${failed.join(', ')} (errors above).`,
	);
	process.exitCode = 1;
}

function configOf(name) {
	const folder = join(root, 'packages', name);
	return ExtractorConfig.prepare({
		configObjectFullPath: join(folder, 'api-extractor.json'),
		packageJsonFullPath: join(folder, 'package.json'),
		packageJson: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
		configObject: {
			projectFolder: folder,
			mainEntryPointFilePath: entryOf(name),
			compiler: {
				overrideTsconfig: {
					compilerOptions: {
						target: 'ES2023',
						lib: ['ES2023'],
						module: 'NodeNext',
						moduleResolution: 'NodeNext',
						types: ['node'],
						strict: true,
						skipLibCheck: true,
					},
					files: entries,
				},
			},
			apiReport: {
				enabled: true,
				reportFileName: `${name}.api.md`,
				reportFolder: join(folder, 'api'),
				reportTempFolder: join(temp, name),
			},
			docModel: { enabled: false },
			dtsRollup: { enabled: false },
			tsdocMetadata: { enabled: false },
			newlineKind: 'lf',
			messages: {
				compilerMessageReporting: { default: { logLevel: 'warning' } },
				extractorMessageReporting: {
					default: { logLevel: 'warning' },
					// The report pins what is exported; release tags, TSDoc coverage (lint) and links are not its business.
					'ae-missing-release-tag': { logLevel: 'none' },
					'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
					'ae-unresolved-link': { logLevel: 'none' },
					'ae-internal-missing-underscore': { logLevel: 'none' },
					'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
				},
				tsdocMessageReporting: { default: { logLevel: 'none' } },
			},
		},
	});
}

/** Runs API Extractor on one package; true when its report matches (or was written). */
function runOne(name, config) {
	mkdirSync(join(root, 'packages', name, 'api'), { recursive: true });
	mkdirSync(join(temp, name), { recursive: true });
	const result = Extractor.invoke(config, {
		localBuild: mode === 'update',
		compilerState,
		messageCallback: (message) => {
			// Said once per package otherwise; the report is the output that matters.
			if (
				message.messageId === 'console-preamble' ||
				message.messageId === 'console-compiler-version-notice' ||
				message.messageId === 'console-api-report-changed'
			)
				message.logLevel = 'none';
			if (
				message.messageId === 'console-api-report-unchanged' ||
				message.messageId === 'console-api-report-copied' ||
				message.messageId === 'console-api-report-created'
			)
				message.logLevel = 'none';
		},
	});
	if (result.errorCount > 0) {
		console.error(`api-report: ${name}: API Extractor reported ${result.errorCount} error(s).`);
		return false;
	}
	if (mode === 'check' && result.apiReportChanged) {
		const report = join(root, 'packages', name, 'api', `${name}.api.md`);
		if (existsSync(report))
			spawnSync('git', ['--no-pager', 'diff', '--no-index', '--', report, join(temp, name, `${name}.api.md`)], {
				stdio: 'inherit',
			});
		else console.error(`api-report: ${name}: no report yet (packages/${name}/api/${name}.api.md).`);
		return false;
	}
	return true;
}
