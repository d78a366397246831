import { describe, expect, it } from 'vitest';
import { asChannelId } from '@ovenjs/types';
import { MockError, MockErrorMessages, World, type MockErrorCode } from '../src/index.js';

describe('MockError', () => {
	it('builds its text from the one message table, and names the code', () => {
		const error = MockError.of('MOCK_WAIT_TIMEOUT', ['2 live gateway session(s)', 50, '1']);
		expect(error).toBeInstanceOf(MockError);
		expect(error.code).toBe('MOCK_WAIT_TIMEOUT');
		expect(error.name).toBe('MockError[MOCK_WAIT_TIMEOUT]');
		expect(error.message).toBe(MockErrorMessages.MOCK_WAIT_TIMEOUT('2 live gateway session(s)', 50, '1'));
		const codes: MockErrorCode[] = [
			'MOCK_INVALID_OPTION',
			'MOCK_NOT_STARTED',
			'MOCK_ALREADY_STOPPED',
			'MOCK_UNKNOWN_ENTITY',
			'MOCK_NOT_A_GUILD_CHANNEL',
			'MOCK_INTERACTION_TIMEOUT',
			'MOCK_LISTEN_FAILED',
			'MOCK_NO_SESSION',
			'MOCK_WAIT_TIMEOUT',
		];
		expect(Object.keys(MockErrorMessages).sort()).toEqual([...codes].sort());
	});

	it('gives each meaning its own code', () => {
		const world = new World(1);
		const [guild] = world.generate(1, 1, 1);
		const human = [...(guild?.members.values() ?? [])].find((member) => member.user.id !== world.botUser.id);
		expect(human).toBeDefined();
		const dm = world.dmChannel(human?.user.id ?? world.botUser.id);
		expect(() => world.createThread(dm.id, world.botUser.id, { name: 't' })).toThrow(
			expect.objectContaining({ code: 'MOCK_NOT_A_GUILD_CHANNEL' }),
		);
		expect(() => world.channel(asChannelId('123456789012345678'))).toThrow(
			expect.objectContaining({ code: 'MOCK_UNKNOWN_ENTITY' }),
		);
		expect(() => world.createGuild({ members: -1 })).toThrow(
			expect.objectContaining({ code: 'MOCK_INVALID_OPTION' }),
		);
		return expect(world.triggerInteraction({ channelId: dm.id, userId: world.botUser.id })).rejects.toMatchObject({
			code: 'MOCK_NOT_STARTED',
		});
	});
});
