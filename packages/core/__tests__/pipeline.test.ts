import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CoreError, EventPipeline, ExtensionBus, type DispatchEnvelope } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ovenjs-pipeline-'));
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

const event = (t: string, n: number): DispatchEnvelope => ({ t, d: { n }, s: n, shardId: 0 });

describe('EventPipeline', () => {
	it('delivers a batch when it is full or when the interval passes, and on stop', async () => {
		vi.useFakeTimers();
		try {
			const pipeline = new EventPipeline(new ExtensionBus());
			const batches: number[][] = [];
			const handle = pipeline.batch('A', (events) => void batches.push(events.map((e) => e.s)), {
				size: 3,
				intervalMs: 100,
			});
			for (const n of [1, 2, 3, 4]) pipeline.deliver(event('A', n));
			pipeline.deliver(event('B', 9));
			await vi.advanceTimersByTimeAsync(0);
			expect(batches).toEqual([[1, 2, 3]]);
			await vi.advanceTimersByTimeAsync(100);
			expect(batches).toEqual([[1, 2, 3], [4]]);
			pipeline.deliver(event('A', 5));
			await handle.stop();
			expect(batches).toEqual([[1, 2, 3], [4], [5]]);
			pipeline.deliver(event('A', 6));
			await vi.advanceTimersByTimeAsync(1_000);
			expect(batches).toHaveLength(3);
		} finally {
			vi.useRealTimers();
		}
	});

	it('reports a failing batch handler and a failing filter on error:unhandled and keeps going', async () => {
		const bus = new ExtensionBus();
		const points: string[] = [];
		bus.on('error:unhandled', (_error, context) => void points.push(context.point));
		const pipeline = new EventPipeline(bus);
		const handle = pipeline.batch('*', () => Promise.reject(new Error('sink down')), { size: 1 });
		pipeline.filter(() => {
			throw new Error('filter bug');
		});
		expect(pipeline.process(event('A', 1))).toEqual(event('A', 1));
		pipeline.deliver(event('A', 1));
		await handle.stop();
		expect(points).toEqual(['pipeline:filter', 'pipeline:batch:*']);
	});

	it('applies the gateway:beforeDispatch waterfall after local transformers', () => {
		const bus = new ExtensionBus();
		bus.on('gateway:beforeDispatch', (e) => ({ ...e, t: `${e.t}:bus` }));
		const pipeline = new EventPipeline(bus);
		pipeline.transform((e) => ({ ...e, t: `${e.t}:local` }));
		expect(pipeline.process(event('A', 1))?.t).toBe('A:local:bus');
	});

	it('rejects bad batch options and invalid recordings with typed errors', async () => {
		const pipeline = new EventPipeline(new ExtensionBus());
		expect(() => pipeline.batch('A', () => undefined, { size: 0 })).toThrow(CoreError);
		expect(() => pipeline.batch('A', () => undefined, { intervalMs: -1 })).toThrow(
			/intervalMs must be a positive number/,
		);
		const notJson = join(dir, 'bad.jsonl');
		writeFileSync(notJson, '{"t":"A","d":null,"s":1,"shardId":0,"at":0}\nnot json\n');
		await expect(EventPipeline.readRecording(notJson)).rejects.toMatchObject({ code: 'CORE_RECORDING_INVALID' });
		await expect(EventPipeline.readRecording(notJson)).rejects.toThrow(/Line 2 of .* is not JSON/);
		const wrongShape = join(dir, 'shape.jsonl');
		writeFileSync(wrongShape, '{"t":"A"}\n');
		await expect(EventPipeline.readRecording(wrongShape)).rejects.toThrow(/not a recorded dispatch/);
		await pipeline.record(join(dir, 'x.jsonl'));
		await expect(pipeline.record(join(dir, 'y.jsonl'))).rejects.toMatchObject({ code: 'CORE_RECORDING_RUNNING' });
		expect(await pipeline.stopRecording()).toBe(0);
	});
});
