#!/usr/bin/env node
// Build-time benchmark (not a test): cold build, one-package incremental build, full type-check, and the peak
// memory of the largest process in each. Targets: cold build < 30 s, incremental < 3 s, type-check < 5 s,
// peak < 512 MB. Writes benchmarks/results/build.json and prints a table. Run: `pnpm bench:build`.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Resident set size (bytes) of every process in the tree rooted at `pid`, from /proc. */
function treeRss(pid) {
	let rss = 0;
	let max = 0;
	const children = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const list = children.get(ppid) ?? [];
			list.push(Number(entry));
			children.set(ppid, list);
		} catch {
			// the process ended while we looked
		}
	}
	const stack = [pid];
	while (stack.length > 0) {
		const current = stack.pop();
		try {
			const status = readFileSync(`/proc/${current}/status`, 'utf8');
			const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			rss += kb * 1024;
			max = Math.max(max, kb * 1024);
		} catch {
			// ended
		}
		stack.push(...(children.get(current) ?? []));
	}
	return { rss, max };
}

function measure(label, command, args, cwd = root) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const env = {
			...process.env,
			PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
			TURBO_TELEMETRY_DISABLED: '1',
			FORCE_COLOR: '0',
		};
		const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env });
		let stderr = '';
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
		});
		let peakProcess = 0;
		let peakTree = 0;
		const timer = setInterval(() => {
			const { rss, max } = treeRss(child.pid);
			peakTree = Math.max(peakTree, rss);
			peakProcess = Math.max(peakProcess, max);
		}, 25);
		child.on('exit', (code) => {
			clearInterval(timer);
			const seconds = (performance.now() - started) / 1000;
			if (code !== 0) reject(new Error(`${label} failed (${code}):\n${stderr}`));
			else resolve({ label, seconds, peakProcessMB: peakProcess / 2 ** 20, peakTreeMB: peakTree / 2 ** 20 });
		});
	});
}

const packages = readdirSync(join(root, 'packages'));
const results = [];
for (const name of packages) rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
results.push({
	...(await measure('cold build (all packages, no turbo cache)', bin('turbo'), [
		'run',
		'build',
		'--force',
		'--concurrency=2',
	])),
	target: 30,
});

const touched = join(root, 'packages', 'types', 'src', 'lib', 'redact.ts');
const now = new Date();
utimesSync(touched, now, now);
// The package's own build script (tsup, then its declarations from tools/emit-types.mjs), as turbo runs it.
const typesBuild = JSON.parse(readFileSync(join(root, 'packages', 'types', 'package.json'), 'utf8')).scripts.build;
results.push({
	...(await measure(
		`incremental build of one package (@ovenjs/types: ${typesBuild})`,
		'sh',
		['-c', typesBuild],
		join(root, 'packages', 'types'),
	)),
	target: 3,
});

// Every project of the graph (tsconfig.json's references) starts cold.
const graph = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).references.map(
	(reference) => reference.path,
);
for (const project of graph) rmSync(join(root, project, '.tsbuild'), { recursive: true, force: true });
// The same command as `pnpm typecheck` (TypeScript 7's native tsc; see package.json).
const typecheck = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
	.scripts.typecheck.split(' ')
	.slice(1);
results.push({
	...(await measure(`full type-check (tsc ${typecheck.join(' ')}, cold)`, bin('tsc'), typecheck)),
	target: 5,
});
results.push({
	...(await measure(`full type-check (tsc ${typecheck.join(' ')}, warm, nothing changed)`, bin('tsc'), typecheck)),
	target: 5,
});

console.log(
	'\n| step | seconds | target | met | peak process MB | peak tree MB |\n| --- | ---: | ---: | --- | ---: | ---: |',
);
for (const r of results) {
	console.log(
		`| ${r.label} | ${r.seconds.toFixed(2)} | < ${r.target} | ${r.seconds < r.target ? 'yes' : 'no'} | ${r.peakProcessMB.toFixed(0)} | ${r.peakTreeMB.toFixed(0)} |`,
	);
}
const peak = Math.max(...results.map((r) => r.peakProcessMB));
console.log(
	`\npeak memory of any one process: ${peak.toFixed(0)} MB (target < 512 MB: ${peak < 512 ? 'met' : 'not met'})`,
);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
mkdirSync(join(root, 'benchmarks', 'results'), { recursive: true });
writeFileSync(
	join(root, 'benchmarks', 'results', 'build.json'),
	`${JSON.stringify({ date: new Date().toISOString(), node: process.version, results, peakProcessMB: peak }, null, 2)}\n`,
);
