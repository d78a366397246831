import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockDiscord } from '../src/index.js';

// From the repo root the spec is at ../shared/discord/openapi.json; a fresh clone has no ../shared.
const specPath = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'discord', 'openapi.json');
const present = existsSync(specPath);

interface Spec {
	paths: Record<string, Record<string, unknown>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('OpenAPI conformance', () => {
	let discord: MockDiscord;
	beforeAll(async () => {
		discord = await MockDiscord.start({ guilds: 0 });
	});
	afterAll(async () => {
		await discord.stop();
	});

	it.runIf(!present)("is skipped: Discord's openapi.json is not next to the repository", () => {
		console.warn(
			`[@ovenjs/testing] SKIPPED OpenAPI conformance: ${specPath} not found (it lives in the workplace's shared/ folder, not in a clone).`,
		);
		expect(present).toBe(false);
	});

	it.runIf(present)(
		"serves only routes that exist in Discord's spec, with the same method and path parameters",
		() => {
			const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
			const specOps = new Set<string>();
			for (const [path, item] of Object.entries(spec.paths)) {
				for (const method of Object.keys(item))
					if (METHODS.includes(method)) specOps.add(`${method.toUpperCase()} ${path}`);
			}
			const served = discord.rest.routes().map((route) => `${route.method} ${route.path}`);
			const missing = served.filter((op) => !specOps.has(op));
			expect(missing).toEqual([]);
			expect(new Set(served).size).toBe(served.length);
			const share = ((served.length / specOps.size) * 100).toFixed(1);
			console.info(
				`[@ovenjs/testing] the mock serves ${served.length} of the spec's ${specOps.size} operations (${share} %).`,
			);
			expect(served.length).toBeGreaterThan(80);
		},
	);
});
