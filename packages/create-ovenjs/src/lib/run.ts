import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { CreateError } from './errors/CreateError.js';
import {
	DefaultProjectOptions,
	FeatureDescriptions,
	Features,
	nameFromDirectory,
	parseCliArgs,
	parseFeatures,
	validateName,
	type CliArgs,
	type Feature,
	type Language,
	type ModuleFormat,
	type ProjectOptions,
} from './options.js';
import { displayDirectory, scaffold } from './scaffold.js';

/** Where {@link run} reads answers and writes progress. */
export interface RunIo {
	readonly input: NodeJS.ReadableStream;
	readonly output: NodeJS.WritableStream;
	readonly error: NodeJS.WritableStream;
	/** @defaultValue `process.cwd()` */
	readonly cwd?: string;
	/** Colors in the output. @defaultValue `false` */
	readonly color?: boolean;
}

const help = `Usage: npm create ovenjs@latest [folder] -- [options]

Scaffolds a Discord bot on OvenJS: src/ with a /ping command, a vitest test against a mock Discord,
.env.example, and the scripts dev, start, test and register.

Options:
  --name <name>          the package name (default: the folder's name)
  --ts | --js            TypeScript (default) or JavaScript   (also --language ts|js)
  --esm | --cjs          ES modules (default) or CommonJS      (also --module esm|cjs)
  --features <list>      comma-separated, or none (default: commands):
${Features.map((feature) => `                           ${feature.padEnd(10)} ${FeatureDescriptions[feature]}`).join('\n')}
  -y, --yes              no questions: flags, then defaults (for CI)
  --force                write into a folder that is not empty
  --ovenjs-tarballs <dir> take @ovenjs packages from the .tgz files in dir (unreleased builds)
  -h, --help             this text
`;

/** Answers typed on `input`, one per line (works with a TTY and with piped input). */
class LineReader {
	readonly #lines: string[] = [];
	readonly #waiting: ((line: string | undefined) => void)[] = [];
	#closed = false;
	readonly #close: () => void;

	public constructor(input: NodeJS.ReadableStream) {
		const rl = createInterface({ input, terminal: false });
		rl.on('line', (line) => {
			const waiter = this.#waiting.shift();
			if (waiter === undefined) this.#lines.push(line);
			else waiter(line);
		});
		rl.on('close', () => {
			this.#closed = true;
			for (const waiter of this.#waiting.splice(0)) waiter(undefined);
		});
		this.#close = () => {
			rl.close();
		};
	}

	public async next(): Promise<string | undefined> {
		const line = this.#lines.shift();
		if (line !== undefined) return line;
		if (this.#closed) return undefined;
		return new Promise((resolve) => this.#waiting.push(resolve));
	}

	public close(): void {
		this.#close();
	}
}

function paint(io: RunIo, code: string, text: string): string {
	return io.color === true ? `\u001b[${code}m${text}\u001b[0m` : text;
}

async function ask(reader: LineReader, io: RunIo, question: string, fallback: string): Promise<string> {
	io.output.write(`${paint(io, '36', '◆')}  ${question} ${paint(io, '2', `(${fallback})`)} `);
	const line = await reader.next();
	if (line === undefined) {
		io.output.write('\n');
		throw new CreateError('CREATE_CANCELLED', 'Cancelled: the input ended before every question was answered.');
	}
	// Piped answers are not echoed: end the question's line so the next one starts on its own.
	if (!('isTTY' in io.input && io.input.isTTY === true)) io.output.write('\n');
	const answer = line.trim();
	return answer === '' ? fallback : answer;
}

async function askUntilValid<T>(
	reader: LineReader,
	io: RunIo,
	question: string,
	fallback: string,
	parse: (answer: string) => T,
): Promise<T> {
	for (;;) {
		const answer = await ask(reader, io, question, fallback);
		try {
			return parse(answer);
		} catch (error) {
			if (!(error instanceof CreateError) || error.code === 'CREATE_CANCELLED') throw error;
			io.output.write(`${paint(io, '31', '▲')}  ${error.message}\n`);
		}
	}
}

function parseLanguage(answer: string): Language {
	const value = answer.toLowerCase();
	if (value === 'ts' || value === 'typescript') return 'ts';
	if (value === 'js' || value === 'javascript') return 'js';
	throw new CreateError('CREATE_INVALID_OPTION', `Answer ts or js (not "${answer}").`);
}

function parseModule(answer: string): ModuleFormat {
	const value = answer.toLowerCase();
	if (value === 'esm' || value === 'es' || value === 'module') return 'esm';
	if (value === 'cjs' || value === 'commonjs') return 'cjs';
	throw new CreateError('CREATE_INVALID_OPTION', `Answer esm or cjs (not "${answer}").`);
}

function parseFeatureAnswer(answer: string): Feature[] {
	// Numbers from the list or names, comma- or space-separated.
	const items = answer.split(/[\s,]+/).filter((item) => item.length > 0);
	const names = items.map((item) => (/^\d+$/.test(item) ? (Features[Number(item) - 1] ?? item) : item));
	return parseFeatures(names.join(','));
}

async function resolveOptions(
	args: CliArgs,
	io: RunIo,
	cwd: string,
): Promise<ProjectOptions & { readonly directory: string }> {
	const interactive = !args.yes;
	const reader = interactive ? new LineReader(io.input) : undefined;
	try {
		const fromDirectory =
			args.directory === undefined ? undefined : nameFromDirectory(resolve(cwd, args.directory));
		const defaultName = args.name ?? fromDirectory ?? DefaultProjectOptions.name;
		const name =
			args.name ??
			(reader === undefined
				? validateName(defaultName)
				: await askUntilValid(reader, io, 'Project name?', defaultName, validateName));
		const directory = resolve(cwd, args.directory ?? name);
		const language =
			args.language ??
			(reader === undefined
				? DefaultProjectOptions.language
				: await askUntilValid(
						reader,
						io,
						'TypeScript or JavaScript? ts/js',
						DefaultProjectOptions.language,
						parseLanguage,
					));
		const moduleFormat =
			args.moduleFormat ??
			(reader === undefined
				? DefaultProjectOptions.moduleFormat
				: await askUntilValid(
						reader,
						io,
						'ES modules or CommonJS? esm/cjs',
						DefaultProjectOptions.moduleFormat,
						parseModule,
					));
		let features = args.features;
		if (features === undefined) {
			if (reader === undefined) features = DefaultProjectOptions.features;
			else {
				io.output.write(
					`${paint(io, '36', '◆')}  Features:\n${Features.map((feature, i) => `     ${i + 1}) ${feature.padEnd(10)} ${FeatureDescriptions[feature]}`).join('\n')}\n`,
				);
				features = await askUntilValid(
					reader,
					io,
					'Which ones? numbers or names, comma-separated, "none" for none',
					DefaultProjectOptions.features.join(','),
					parseFeatureAnswer,
				);
			}
		}
		return { name, directory, language, moduleFormat, features };
	} finally {
		reader?.close();
	}
}

/**
 * The `create-ovenjs` command: parses `argv`, asks what flags did not say (unless `--yes`), writes the project
 * and prints the next steps. Resolves to the exit code (0, or 1 after printing the error).
 */
export async function run(argv: readonly string[], io: RunIo): Promise<number> {
	const cwd = io.cwd ?? process.cwd();
	try {
		const args = parseCliArgs(argv);
		if (args.help) {
			io.output.write(help);
			return 0;
		}
		const options = await resolveOptions(args, io, cwd);
		io.output.write(`\n${paint(io, '32', '◇')}  Scaffolding project in ${options.directory}...\n`);
		const result = scaffold({
			...options,
			force: args.force,
			ovenjsTarballs: args.ovenjsTarballs === undefined ? undefined : resolve(cwd, args.ovenjsTarballs),
			onFile: (path) => io.output.write(`   ${paint(io, '2', '+')} ${path}\n`),
		});
		const shown = displayDirectory(result.directory, cwd);
		const steps = [
			...(shown === '.' ? [] : [`cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`]),
			'npm install',
			'cp .env.example .env    # then put your bot token in it',
			...(options.features.includes('commands') ? ['npm run register'] : []),
			'npm run dev',
		];
		io.output.write(
			`\n${paint(io, '32', '└')}  Done. Now run:\n\n${steps.map((step) => `  ${step}`).join('\n')}\n\n  npm test runs the bot against a mock Discord (no token needed).\n\n`,
		);
		return 0;
	} catch (error) {
		if (error instanceof CreateError) {
			io.error.write(`${paint(io, '31', '✖')}  ${error.message}\n`);
			return 1;
		}
		throw error;
	}
}
