import { GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayFault } from '../faults/GatewayFaults.js';
import { NON_RESUMABLE_CLOSE_CODES } from './nonResumableCloseCodes.js';
import type { GatewayConnection } from './GatewayConnection.js';
import type { GatewaySession } from './GatewaySession.js';
import type { SessionRegistry } from './SessionRegistry.js';

/** Applies a fault drawn after a dispatch to the session's connection (a forced close, op 9 or op 7). */
export function applyFault(fault: GatewayFault, session: GatewaySession, sessions: SessionRegistry): void {
	const connection = session.connection;
	if (connection === undefined) return;
	switch (fault.kind) {
		case 'close':
			closeConnection(connection, fault.code, 'Injected fault', sessions);
			return;
		case 'invalidSession':
			sendInvalidSession(connection, fault.resumable, sessions);
			return;
		case 'reconnect':
			void connection.send({ op: GatewayOpcodes.Reconnect, d: null });
			return;
		case 'none':
			return;
	}
}

/** Closes a connection with `code`; its session stays resumable unless the code forbids resuming. */
export function closeConnection(
	connection: GatewayConnection,
	code: number,
	reason: string,
	sessions: SessionRegistry,
): void {
	if (NON_RESUMABLE_CLOSE_CODES.has(code) && connection.session !== undefined) sessions.end(connection.session);
	connection.close(code, reason);
}

/** Sends op 9 INVALID_SESSION; a non-resumable one ends the session (the client must identify again). */
export function sendInvalidSession(connection: GatewayConnection, resumable: boolean, sessions: SessionRegistry): void {
	void connection.send({ op: GatewayOpcodes.InvalidSession, d: resumable });
	if (!resumable) sessions.invalidate(connection);
}
