#!/usr/bin/env node
// Sets a fresh clone up with no global state assumed: checks Node, installs dependencies with the pinned pnpm
// (through npx when pnpm is not on PATH) and builds every package. Safe to run again: it skips what is done.
// Flags: --quiet, --install-only, --build (force a rebuild), --then <pnpm args...> (run a pnpm command after).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const log = (line) => {
	if (!quiet) console.log(`[setup] ${line}`);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	console.error(
		`[setup] OvenJS needs Node >= 20.19; this is ${process.version}. Install a newer Node and run again.`,
	);
	process.exit(1);
}

const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = packageManager.split('@')[1];

// pnpm is a root devDependency: after the first install, node_modules/.bin/pnpm is the pinned pnpm, and it must
// be on PATH for turbo (which starts `pnpm run <task>` in each package).
const localBin = join(root, 'node_modules', '.bin');
process.env.PATH = `${localBin}:${process.env.PATH ?? ''}`;

function pnpmCommand() {
	const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
	if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return ['pnpm', []];
	return ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
}

function run(args) {
	const [cmd, prefix] = pnpmCommand();
	execFileSync(cmd, [...prefix, ...args], {
		cwd: root,
		env: process.env,
		stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
	});
}

if (!existsSync(join(root, 'node_modules', '.modules.yaml'))) {
	log(`installing dependencies with pnpm ${pnpmVersion}`);
	run(['install', '--frozen-lockfile']);
}
const built = ['types', 'testing', 'rest', 'ws', 'cache', 'state', 'plugins', 'core', 'observability'].every(
	(name) => !existsSync(join(root, 'packages', name)) || existsSync(join(root, 'packages', name, 'dist')),
);
if (!process.argv.includes('--install-only') && (!built || process.argv.includes('--build'))) {
	log('building packages');
	run(['run', 'build']);
}
log('ready');

// `--then <pnpm arguments...>` runs a pnpm command with the same pnpm (no global pnpm needed).
const then = process.argv.indexOf('--then');
if (then !== -1) {
	const [cmd, prefix] = pnpmCommand();
	const result = spawnSync(cmd, [...prefix, ...process.argv.slice(then + 1)], {
		cwd: root,
		stdio: 'inherit',
		env: process.env,
	});
	process.exit(result.status ?? 1);
}
