import { describe, expect, it } from 'vitest';
import { parseChatCommand, type CommandDialect } from '../../../src/app/chat/commands/chat-command.ts';
import { commandHelp } from '../../../src/app/chat/commands/command-help.ts';

const NAMED_CHANNEL: CommandDialect = {
  commandPrefix: '!e ',
  requestPrefix: '!e',
  channelArgument: { placeholder: '#room', parse: (word) => (word.startsWith('#') ? word.slice(1) : null) },
  adminScopes: true,
  adminLeadIn: 'Try',
};
const CHANNEL_HERE: CommandDialect = { commandPrefix: '', requestPrefix: 'e', channelArgument: null, adminScopes: false, adminLeadIn: 'Here, say' };

describe('the one chat command grammar', () => {
  it('reads a request the same whatever the dialect, keeping the reason’s spacing', () => {
    for (const dialect of [NAMED_CHANNEL, CHANNEL_HERE]) {
      expect(parseChatCommand('db 1h30m INC-1  slow', dialect, { prefixed: true })).toEqual({ kind: 'request', scopeName: 'db', duration: '1h30m', reason: 'INC-1  slow' });
    }
  });

  it('reads an extension with or without a reason, on every dialect, prefixed or not', () => {
    for (const dialect of [NAMED_CHANNEL, CHANNEL_HERE]) {
      for (const prefixed of [true, false]) {
        expect(parseChatCommand('extend g-1 30m INC-9  still  digging', dialect, { prefixed })).toEqual({ kind: 'extend', grantId: 'g-1', duration: '30m', reason: 'INC-9  still  digging' });
        expect(parseChatCommand('EXTEND g-1 1h', dialect, { prefixed })).toEqual({ kind: 'extend', grantId: 'g-1', duration: '1h', reason: null });
      }
    }
    expect(parseChatCommand('extend', NAMED_CHANNEL, { prefixed: true })).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('`!e extend <grant id> <duration> [reason]`') });
    expect(parseChatCommand('extend g-1 soon', CHANNEL_HERE, { prefixed: false })).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^Add how much longer/) });
  });

  it('reads break-glass, and refuses it without a reason before anything else happens', () => {
    for (const dialect of [NAMED_CHANNEL, CHANNEL_HERE]) {
      expect(parseChatCommand('break-glass db 30m prod down  INC-1', dialect, { prefixed: true })).toEqual({ kind: 'break_glass', scopeName: 'db', duration: '30m', reason: 'prod down  INC-1' });
      expect(parseChatCommand('break-glass db 30m', dialect, { prefixed: false })).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^Break-glass needs a reason/) });
      expect(parseChatCommand('break-glass db', dialect, { prefixed: false })).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^Name the scope and how long/) });
    }
  });

  it('opens the form for nothing after the prefix, and answers help for nothing at all', () => {
    expect(parseChatCommand('', CHANNEL_HERE, { prefixed: true })).toEqual({ kind: 'open_form' });
    expect(parseChatCommand('', CHANNEL_HERE, { prefixed: false })).toEqual({ kind: 'help' });
  });

  it('quotes commands back with the platform’s own prefixes', () => {
    expect(parseChatCommand('db soon', NAMED_CHANNEL, { prefixed: true })).toEqual({ kind: 'invalid', problem: 'Add a duration after the scope, such as 15m, 1h or 1h30m: `!e db 1h <reason>`.' });
    expect(parseChatCommand('done', CHANNEL_HERE, { prefixed: false })).toEqual({ kind: 'invalid', problem: 'Say which grant to end: `done <grant id>` (`list` shows your grants).' });
    expect(parseChatCommand('admin nope', NAMED_CHANNEL, { prefixed: true })).toEqual({
      kind: 'invalid',
      problem: 'Try `!e admin map #room <scope>`, `!e admin unmap #room <scope>`, `!e admin mappings` or `!e admin scopes`.',
    });
  });

  it('takes the channel of admin commands from the words where the platform names it, and from where it is typed elsewhere', () => {
    expect(parseChatCommand('admin map #ops db', NAMED_CHANNEL, { prefixed: true })).toEqual({ kind: 'admin_map', channelId: 'ops', scopeName: 'db' });
    expect(parseChatCommand('admin unmap ops db', NAMED_CHANNEL, { prefixed: true })).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^Name a channel and a scope/) });
    expect(parseChatCommand('admin map db', CHANNEL_HERE, { prefixed: false })).toStrictEqual({ kind: 'admin_map', scopeName: 'db' });
    expect(parseChatCommand('admin unmap', CHANNEL_HERE, { prefixed: false })).toStrictEqual({ kind: 'admin_unmap', scopeName: null });
  });

  it('treats an unknown first word as a scope after the prefix and as a mistake without it', () => {
    expect(parseChatCommand('sudo 1h x', CHANNEL_HERE, { prefixed: true })).toMatchObject({ kind: 'request', scopeName: 'sudo' });
    expect(parseChatCommand('sudo 1h x', CHANNEL_HERE, { prefixed: false })).toEqual({ kind: 'invalid', problem: 'I don’t know “sudo”. Send `help` to see what I can do.' });
  });

  it('reads verify <request id>, and asks for the id when it is missing', () => {
    expect(parseChatCommand('verify req_1', CHANNEL_HERE, { prefixed: false })).toEqual({ kind: 'verify', requestId: 'req_1' });
    expect(parseChatCommand('verify', NAMED_CHANNEL, { prefixed: true })).toEqual({ kind: 'invalid', problem: 'Say which request to verify for: `!e verify <request id>` (`!e list` shows your requests).' });
  });

  it('offers admin scopes only where the dialect does', () => {
    expect(parseChatCommand('admin scopes', NAMED_CHANNEL, { prefixed: true })).toEqual({ kind: 'admin_scopes' });
    expect(parseChatCommand('admin scopes', CHANNEL_HERE, { prefixed: false }).kind).toBe('invalid');
    expect(commandHelp(CHANNEL_HERE).adminCommands.map((c) => c.name)).toEqual(['map', 'unmap', 'mappings']);
  });

  it('lists the same commands in the help of every dialect', () => {
    const names = (dialect: CommandDialect) => commandHelp(dialect).lines.map((line) => line.what);
    expect(names(NAMED_CHANNEL)).toEqual(names(CHANNEL_HERE));
    expect(commandHelp(NAMED_CHANNEL).lines.map((line) => line.command)).toEqual(['!e <scope> <duration> <reason>', '!e', '!e list', '!e done <grant id>', '!e extend <grant id> <duration> [reason]', '!e cancel <request id>', '!e verify <request id>', '!e break-glass <scope> <duration> <reason>']);
  });
});
