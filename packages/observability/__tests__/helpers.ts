import { GatewayIntentBits } from 'discord-api-types/v10';
import { Client } from '@ovenjs/core';
import type { MockDiscord } from '@ovenjs/testing';

export const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;

/** A client pointed at the mock. */
export function mockClient(discord: MockDiscord): Client {
	return new Client({ token: discord.token, intents, rest: { api: discord.apiBase }, waitGuildTimeout: 2_000 });
}

/** Parses Prometheus text into `name{label="v",...}` (labels sorted) → value. */
export function parseMetrics(text: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (match === null) continue;
		const [, name = '', labelText = '', value = ''] = match;
		const labels = [...labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)]
			.map(([, key = '', val = '']) => `${key}="${val}"`)
			.sort();
		out.set(labels.length === 0 ? name : `${name}{${labels.join(',')}}`, Number(value));
	}
	return out;
}

/** The value of one series (labels in any order), `undefined` when absent. */
export function series(
	metrics: ReadonlyMap<string, number>,
	name: string,
	labels: Readonly<Record<string, string>> = {},
): number | undefined {
	const keys = Object.entries(labels)
		.map(([key, value]) => `${key}="${value}"`)
		.sort();
	return metrics.get(keys.length === 0 ? name : `${name}{${keys.join(',')}}`);
}

/** Waits until `check` returns true (polling), or fails with `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
