import { asChannelId, asGuildId, asMessageId } from '@ovenjs/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REST } from '../src/index.js';
import { json, startServer, type FixtureServer } from './fixtures/server.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.paginator-test-token-abcdefghijklmnopqrst';
const guildId = asGuildId('100000000000000001');
const channelId = asChannelId('100000000000000002');
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(200000000000000000n + BigInt(i)));

let server: FixtureServer;
let rest: REST;
beforeEach(async () => {
	server = await startServer();
	rest = new REST({ token: TOKEN, api: server.api });
});
afterEach(async () => {
	await rest.destroy();
	await server.close();
});

/** Serves `all` (ascending IDs) the way Discord's `after`/`limit` endpoints do. */
function ascending(all: readonly string[], wrap: (id: string) => unknown) {
	return (url: URL): unknown[] => {
		const after = BigInt(url.searchParams.get('after') ?? '0');
		const limit = Number(url.searchParams.get('limit'));
		return all
			.filter((id) => BigInt(id) > after)
			.slice(0, limit)
			.map(wrap);
	};
}

describe('Paginator', () => {
	it('walks members, bans, reactions and guilds by the last ID with the page size, stopping on a short page', async () => {
		const all = ids(7);
		const members = ascending(all, (id) => ({ user: { id } }));
		const users = ascending(all, (id) => ({ id }));
		server.handler = (req, res) => {
			const url = new URL(req.url, 'http://x');
			if (url.pathname.endsWith('/members') || url.pathname.endsWith('/bans')) json(res, 200, members(url));
			else json(res, 200, users(url));
		};
		const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
			const out: T[] = [];
			for await (const item of it) out.push(item);
			return out;
		};
		expect((await collect(rest.paginate.members(guildId, { pageSize: 3 }))).map((m) => m.user.id)).toEqual(all);
		expect(server.seen.map((s) => new URL(s.url, 'http://x').searchParams.get('after'))).toEqual([
			null,
			all[2],
			all[5],
		]);
		expect((await collect(rest.paginate.bans(guildId, { pageSize: 3, limit: 4 }))).map((b) => b.user.id)).toEqual(
			all.slice(0, 4),
		);
		server.seen.length = 0;
		expect(
			(
				await collect(
					rest.paginate.reactions(channelId, asMessageId('300000000000000000'), '👍', { pageSize: 5 }),
				)
			).map((u) => u.id),
		).toEqual(all);
		expect(server.seen[0]!.url).toContain(`/reactions/${encodeURIComponent('👍')}?`);
		expect((await collect(rest.paginate.guilds({ pageSize: 7 }))).map((g) => g.id)).toEqual(all);
	});

	it('walks the audit log backwards and archived threads by archive timestamp with has_more', async () => {
		const entries = ids(5).reverse();
		server.handler = (req, res) => {
			const url = new URL(req.url, 'http://x');
			if (url.pathname.endsWith('/audit-logs')) {
				const before = url.searchParams.get('before');
				const limit = Number(url.searchParams.get('limit'));
				const page = entries.filter((id) => before === null || BigInt(id) < BigInt(before)).slice(0, limit);
				json(res, 200, { audit_log_entries: page.map((id) => ({ id })), users: [], webhooks: [] });
				return;
			}
			const before = url.searchParams.get('before');
			const threads = [
				{ id: '1', thread_metadata: { archive_timestamp: '2024-03-01T00:00:00.000Z' } },
				{ id: '2', thread_metadata: { archive_timestamp: '2024-02-01T00:00:00.000Z' } },
				{ id: '3', thread_metadata: { archive_timestamp: '2024-01-01T00:00:00.000Z' } },
			];
			const rest = threads.filter((t) => before === null || t.thread_metadata.archive_timestamp < before);
			json(res, 200, { threads: rest.slice(0, 2), members: [], has_more: rest.length > 2 });
		};
		const audit: string[] = [];
		for await (const entry of rest.paginate.auditLog(guildId, { pageSize: 2 })) audit.push(entry.id);
		expect(audit).toEqual(entries);
		const threads: string[] = [];
		for await (const thread of rest.paginate.archivedThreads(channelId, { pageSize: 2 })) threads.push(thread.id);
		expect(threads).toEqual(['1', '2', '3']);
		expect(server.seen.at(-1)!.url).toContain(`before=${encodeURIComponent('2024-02-01T00:00:00.000Z')}`);
	});

	it('rejects a page size over the endpoint maximum with a typed error', () => {
		expect(() => rest.paginate.messages(channelId, { pageSize: 101 })).toThrow(
			expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
		);
	});
});
