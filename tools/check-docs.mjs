#!/usr/bin/env node
// Type-checks the code in the guides: every ```ts block of README.md, docs/*.md and packages/*/README.md is written to
// docs/.snippets/ as its own module and compiled with the strict base config against the packages' sources.
// A block that starts with `// @check-skip` is shown to readers but not compiled (say why next to it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'docs', '.snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const sources = [
	join(root, 'README.md'),
	...readdirSync(join(root, 'docs'))
		.filter((f) => f.endsWith('.md'))
		.map((f) => join(root, 'docs', f)),
	...readdirSync(join(root, 'packages'))
		.map((p) => join(root, 'packages', p, 'README.md'))
		.filter((f) => existsSync(f)),
];
let count = 0;
for (const file of sources) {
	const text = readFileSync(file, 'utf8');
	const label = file.includes('/packages/')
		? `${file.split('/packages/')[1].split('/')[0]}-readme`
		: file === join(root, 'README.md')
			? 'root-readme'
			: basename(file, '.md');
	let index = 0;
	for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
		index++;
		const code = match[1];
		if (code.startsWith('// @check-skip')) continue;
		// Top-level await and `export {}` make each block its own module.
		writeFileSync(
			join(out, `${label}-${index}.ts`),
			`// from ${file.replace(root, '')}, block ${index}\n${code}\nexport {};\n`,
		);
		count++;
	}
}
writeFileSync(
	join(out, 'tsconfig.json'),
	JSON.stringify({
		extends: '../../tsconfig.base.json',
		compilerOptions: {
			composite: false,
			incremental: false,
			noEmit: true,
			emitDeclarationOnly: false,
			declaration: false,
			declarationMap: false,
			noUnusedLocals: false,
		},
		include: ['*.ts'],
	}),
);
console.log(`type-checking ${count} code blocks from ${sources.length} documents`);
try {
	execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(out, 'tsconfig.json')], {
		stdio: 'inherit',
		cwd: root,
	});
	console.log('docs: every code block type-checks');
} catch {
	console.error('docs: some code blocks do not type-check (see above; files are in docs/.snippets/)');
	process.exit(1);
}
