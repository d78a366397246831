#!/usr/bin/env node
// The release, in the order it runs in the release workflow (.github/workflows/release.yml):
//
//   node tools/release.mjs            dry run (the default): pending changesets, build, `pnpm pack` of every public
//                                     package into .ci/tarballs, and `pnpm publish --dry-run` of each (what npm
//                                     would receive); publishes nothing
//   node tools/release.mjs --publish  the same checks, then `changeset publish` (npm, public access, provenance
//                                     when the CI provides an OIDC token) and pushes the tags
//
// Versions are bumped before, by `pnpm version-packages` (changeset version) in the "Version Packages" pull
// request the workflow keeps open. Every @ovenjs package and create-ovenjs share one version (changesets
// `fixed`), so a scaffolded project's `^x.y.z` ranges always point at packages released together.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const publish = process.argv.includes('--publish');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, cwd = root) => {
	console.log(`$ ${[command.replace(`${root}/node_modules/.bin/`, ''), ...args].join(' ')}`);
	execFileSync(command, args, { cwd, stdio: 'inherit' });
};

const packages = readdirSync(join(root, 'packages'))
	.map((dir) => ({
		dir: join(root, 'packages', dir),
		manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
	}))
	.filter(({ manifest }) => manifest.private !== true);
const versions = new Set(packages.map(({ manifest }) => manifest.version));
if (versions.size !== 1) {
	console.error(
		`The public packages must share one version (changesets "fixed"), found: ${[...versions].join(', ')}`,
	);
	process.exit(1);
}

run(bin('changeset'), ['status', '--verbose']);
run(bin('pnpm'), ['run', 'build']);
const out = join(root, '.ci', 'tarballs');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const { dir } of packages) run(bin('pnpm'), ['pack', '--pack-destination', out], dir);
for (const { dir } of packages)
	run(bin('pnpm'), ['publish', '--dry-run', '--no-git-checks', '--access', 'public'], dir);
console.log(`\n${packages.length} tarballs in ${out} (version ${[...versions][0]})`);

if (publish) {
	run(bin('changeset'), ['publish']);
	run('git', ['push', '--follow-tags']);
}
