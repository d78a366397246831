import { runCli } from './lib/cli.js';

void runCli(process.argv.slice(2)).then((code) => {
	process.exitCode = code;
});
