import { run } from './lib/run.js';

// `npm create ovenjs` → `create-ovenjs` (bin/create-ovenjs.js) → here.
run(process.argv.slice(2), {
	input: process.stdin,
	output: process.stdout,
	error: process.stderr,
	color: process.stdout.isTTY && process.env.NO_COLOR === undefined,
}).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	},
);
