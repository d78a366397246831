import type { Message } from '@ovenjs/types';
import { isRecord, str } from './payload.js';

/** A copy of `value` with only the `keep` fields. */
export function prune<T extends object>(value: T, keep: ReadonlySet<string>): T {
	const copy = { ...value };
	for (const key of Object.keys(copy)) if (!keep.has(key)) Reflect.deleteProperty(copy, key);
	return copy;
}

/**
 * A message with only the `keep` fields: one object built field by field (no spread-then-delete, which leaves the
 * copy in slow dictionary mode).
 */
export function pickMessage(message: Message, keep: readonly string[]): Message {
	const copy: Record<string, unknown> = {};
	for (const key of keep) {
		const value: unknown = Reflect.get(message, key);
		if (value !== undefined) copy[key] = value;
	}
	return keptFields(message, copy) ? copy : message;
}

/** `copy` holds the fields of `message` it was built from, among them every required field of the schema. */
function keptFields(_message: Message, _copy: Record<string, unknown>): _copy is Message {
	return true;
}

/**
 * The key (in `DiscordKeys` form, built from the raw payload strings) of the entity a dispatch writes, for the
 * `cache:*Set` points; events that
 * touch many entities (READY, chunks, bulk deletes) are reported as `event:<NAME>`.
 */
export function entityKeyOf(event: string, d: Record<string, unknown>): string {
	const id = str(d, 'id');
	const guild = str(d, 'guild_id');
	const user = isRecord(d.user) ? str(d.user, 'id') : undefined;
	if (
		event.startsWith('GUILD_MEMBER_') &&
		event !== 'GUILD_MEMBERS_CHUNK' &&
		guild !== undefined &&
		user !== undefined
	)
		return `member:${guild}:${user}`;
	if (event.startsWith('GUILD_ROLE_') && guild !== undefined) {
		const role = isRecord(d.role) ? str(d.role, 'id') : str(d, 'role_id');
		if (role !== undefined) return `role:${guild}:${role}`;
	}
	if ((event === 'GUILD_CREATE' || event === 'GUILD_UPDATE' || event === 'GUILD_DELETE') && id !== undefined)
		return `guild:${id}`;
	if (
		(event.startsWith('CHANNEL_') || event.startsWith('THREAD_')) &&
		event !== 'THREAD_LIST_SYNC' &&
		id !== undefined
	)
		return `channel:${id}`;
	const channel = str(d, 'channel_id');
	if (event.startsWith('MESSAGE_') && event !== 'MESSAGE_DELETE_BULK' && channel !== undefined && id !== undefined)
		return `message:${channel}:${id}`;
	if (event === 'USER_UPDATE' && id !== undefined) return `user:${id}`;
	return `event:${event}`;
}
