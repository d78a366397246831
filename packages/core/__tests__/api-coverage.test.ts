import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asChannelId, asMessageId } from '@ovenjs/types';
import {
	Api,
	ApiOperations,
	CoreError,
	type HttpMethod,
	type RequestContract,
	type RequestData,
} from '../src/index.js';

const specPath = fileURLToPath(new URL('../../../../shared/discord/openapi.json', import.meta.url));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface SpecOperation {
	readonly id: string;
	readonly method: string;
	readonly path: string;
	readonly hasBody: boolean;
}

function readSpec(): SpecOperation[] {
	const raw: unknown = JSON.parse(readFileSync(specPath, 'utf8'));
	const out: SpecOperation[] = [];
	if (typeof raw !== 'object' || raw === null) return out;
	const paths: unknown = Reflect.get(raw, 'paths');
	if (typeof paths !== 'object' || paths === null) return out;
	for (const [path, item] of Object.entries(paths)) {
		if (typeof item !== 'object' || item === null) continue;
		for (const method of METHODS) {
			const op: unknown = Reflect.get(item, method);
			if (typeof op !== 'object' || op === null) continue;
			const id: unknown = Reflect.get(op, 'operationId');
			if (typeof id !== 'string') continue;
			out.push({ id, method: method.toUpperCase(), path, hasBody: Reflect.get(op, 'requestBody') !== undefined });
		}
	}
	return out;
}

class Recorder implements RequestContract {
	public readonly calls: { method: HttpMethod; route: string; data: RequestData | undefined }[] = [];
	public request<T>(method: HttpMethod, route: string, data?: RequestData): Promise<T> {
		this.calls.push({ method, route, data });
		return new Promise<T>(() => undefined);
	}
}

const hasSpec = existsSync(specPath);
if (!hasSpec)
	console.warn(
		`[api-coverage] Discord's OpenAPI spec is absent (${specPath}): coverage against the spec is skipped.`,
	);

describe("client.api coverage of Discord's OpenAPI spec", () => {
	it.skipIf(!hasSpec)('has a method for every operation in the spec (reports those missing)', () => {
		const spec = readSpec();
		const implemented = new Set(ApiOperations.map((op) => op.id));
		const missing = spec.filter((op) => !implemented.has(op.id)).map((op) => `${op.id} (${op.method} ${op.path})`);
		const covered = spec.length - missing.length;
		console.info(
			`[api-coverage] ${covered}/${spec.length} operations of the spec have a client.api method (${((covered / spec.length) * 100).toFixed(1)} %).`,
		);
		expect(missing).toEqual([]);
		expect(spec.length).toBeGreaterThanOrEqual(242);
	});

	it.skipIf(!hasSpec)(
		"every method sends the spec's HTTP method to the spec's route with the IDs substituted",
		() => {
			const recorder = new Recorder();
			const api = new Api(recorder);
			const byId = new Map(readSpec().map((op) => [op.id, op]));
			for (const op of ApiOperations) {
				const specOp = byId.get(op.id);
				expect(specOp, op.id).toBeDefined();
				if (specOp === undefined) continue;
				const resource: unknown = Reflect.get(api, op.resource);
				expect(typeof resource, op.resource).toBe('object');
				const fn: unknown =
					resource === null || typeof resource !== 'object' ? undefined : Reflect.get(resource, op.name);
				if (typeof fn !== 'function') throw new Error(`client.api.${op.resource}.${op.name} is not a function`);
				const params = [...specOp.path.matchAll(/\{(\w+)\}/g)].map((match, index) =>
					match[1] === 'answer_id' ? index + 1 : String(100 + index),
				);
				const body = { marker: op.id };
				const args: unknown[] = [...params, ...(specOp.hasBody ? [body] : []), { reason: 'because' }];
				void Reflect.apply(fn, resource, args);
				const call = recorder.calls.at(-1);
				let expected = specOp.path;
				for (const value of params) expected = expected.replace(/\{\w+\}/, String(value));
				expect(call?.method, op.id).toBe(specOp.method);
				expect(call?.route, op.id).toBe(expected);
				expect(call?.data?.reason, op.id).toBe('because');
				if (specOp.hasBody) expect(call?.data?.body, op.id).toBe(body);
			}
			expect(recorder.calls).toHaveLength(ApiOperations.length);
		},
	);
});

describe('route parameters', () => {
	it('encodes string parameters and rejects empty ones with a typed error', () => {
		const recorder = new Recorder();
		const api = new Api(recorder);
		void api.channels.addMyMessageReaction(
			asChannelId('81384788765712384'),
			asMessageId('81384788765712385'),
			'👍',
		);
		expect(recorder.calls[0]?.route).toBe(
			`/channels/81384788765712384/messages/81384788765712385/reactions/${encodeURIComponent('👍')}/@me`,
		);
		expect(() => api.invites.inviteResolve('')).toThrow(CoreError);
		expect(() => api.invites.inviteResolve('')).toThrow(/"code" must be a non-empty string/);
	});
});
