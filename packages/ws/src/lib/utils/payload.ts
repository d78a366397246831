import { isRecord } from '@ovenjs/types';
/**
 * Lazy decoding: the opcode, sequence and event name of a gateway payload read from the text without a full
 * `JSON.parse`, so events nobody listens to are counted and skipped. Discord writes the envelope keys in the
 * order `t, s, op, d`; payloads in another order (`op, d, s, t`) are read from the end; anything else is
 * parsed in full.
 */

/** The envelope of a gateway payload. */
export interface PayloadHeader {
	readonly op: number;
	readonly s: number | null;
	readonly t: string | null;
}

const HEAD = /^\{"t":(?:null|"([A-Z0-9_]+)"),"s":(null|\d+),"op":(\d+),"d":/;
const OP_FIRST = /^\{"op":(\d+),"d":/;
const TAIL = /,"s":(null|\d+),"t":(?:null|"([A-Z0-9_]+)")\}$/;

/** Reads the envelope of `raw` without parsing `d`; `null` when the layout is not recognised. */
export function peekHeader(raw: string): PayloadHeader | null {
	const head = HEAD.exec(raw);
	if (head !== null) {
		return {
			t: head[1] ?? null,
			s: head[2] === undefined || head[2] === 'null' ? null : Number(head[2]),
			op: Number(head[3]),
		};
	}
	const opFirst = OP_FIRST.exec(raw.length > 16 ? raw.slice(0, 16) : raw);
	if (opFirst === null) return null;
	const tail = TAIL.exec(raw.length > 80 ? raw.slice(-80) : raw);
	if (tail === null) return null;
	return {
		op: Number(opFirst[1]),
		s: tail[1] === undefined || tail[1] === 'null' ? null : Number(tail[1]),
		t: tail[2] ?? null,
	};
}

/** A gateway payload after `JSON.parse`, checked to have the envelope's shape. */
export interface GatewayPayload {
	readonly op: number;
	readonly d: unknown;
	readonly s: number | null;
	readonly t: string | null;
}

/** Type guard for an array (of unknown values). */
export function isArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

/** Parses and checks a gateway payload; `null` when it is not one. */
export function parsePayload(raw: string): GatewayPayload | null {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return null;
	}
	return toPayload(value);
}

/** Checks that `value` has the gateway envelope's shape. */
export function toPayload(value: unknown): GatewayPayload | null {
	if (!isRecord(value)) return null;
	// Discord always sends all four keys: such a payload is used as parsed, without a copy.
	if (isEnvelope(value)) return value;
	const { op, d, s, t } = value;
	if (typeof op !== 'number') return null;
	return { op, d, s: typeof s === 'number' ? s : null, t: typeof t === 'string' ? t : null };
}

function isEnvelope(value: Record<string, unknown>): value is Record<string, unknown> & GatewayPayload {
	const { op, s, t } = value;
	return (
		typeof op === 'number' &&
		(s === null || typeof s === 'number') &&
		(t === null || typeof t === 'string') &&
		'd' in value
	);
}

/** Reads a string field. */
export function stringField(value: unknown, key: string): string | undefined {
	if (!isRecord(value)) return undefined;
	const field = value[key];
	return typeof field === 'string' ? field : undefined;
}

/** Reads a number field. */
export function numberField(value: unknown, key: string): number | undefined {
	if (!isRecord(value)) return undefined;
	const field = value[key];
	return typeof field === 'number' ? field : undefined;
}

export { isRecord };
