/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Starts the mock Discord host process and hands its addresses to a workload.
import { setTimeout as sleep } from 'node:timers/promises';
import { forkService } from './child.mjs';

/**
 * Starts a fresh mock process with `options` (MockDiscord options). Resolves with `{ info, service }` or
 * `{ unavailable: reason }` when `@ovenjs/testing` cannot be loaded.
 */
export async function startMock(options) {
	const service = forkService('mock/host.mjs', [JSON.stringify(options)]);
	try {
		const first = await service.next(180_000);
		if (first.type === 'unavailable') {
			service.stop();
			return { unavailable: `the mock Discord is not available: ${first.reason}` };
		}
		return { info: first, service };
	} catch (error) {
		service.stop();
		throw error;
	}
}

/**
 * Runs `body(info, service)` against a fresh mock and always stops it. A missing build is retried once after a
 * pause: in a shared checkout, another package's rebuild briefly removes its dist/.
 */
export async function withMock(options, body) {
	let started = await startMock(options);
	if (started.unavailable?.includes('Cannot find module') === true) {
		await sleep(15_000);
		started = await startMock(options);
	}
	if (started.unavailable !== undefined) return { status: 'unavailable', reason: started.unavailable };
	try {
		return await body(started.info, started.service);
	} finally {
		started.service.stop();
	}
}
