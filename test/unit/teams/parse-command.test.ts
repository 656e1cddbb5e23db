import { describe, expect, it } from 'vitest';
import { parseTeamsCommand, plainMessageText } from '../../../src/adapters/teams/commands/parse-command.ts';

describe('parseTeamsCommand', () => {
  it.each([
    ['elevate prod-db-admin 1h INC-1 slow  queries', { kind: 'request', scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1 slow  queries' }],
    ['Elevate', { kind: 'open_form' }],
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['done g-1', { kind: 'done', grantId: 'g-1' }],
    ['cancel r-1', { kind: 'cancel', requestId: 'r-1' }],
    ['<at>Elevate</at> admin map prod-db-admin', { kind: 'admin_map', scopeName: 'prod-db-admin' }],
    ['<at>Elevate</at>&nbsp;admin unmap', { kind: 'admin_unmap', scopeName: null }],
    ['<at>Elevate</at> admin mappings', { kind: 'admin_mappings' }],
    ['<p>elevate prod 1h a &amp; b</p>', { kind: 'request', scopeName: 'prod', duration: '1h', reason: 'a & b' }],
  ])('reads %j', (text, expected) => {
    expect(parseTeamsCommand(text)).toEqual(expected);
  });

  it.each([
    ['elevate prod-db-admin', /Add a duration/],
    ['elevate prod-db-admin soon please', /Add a duration/],
    ['elevate prod-db-admin 1h', /Say why/],
    ['done', /Say which grant/],
    ['admin map', /Name a scope/],
    ['sudo make me admin', /don’t know/],
  ])('explains what to fix in %j', (text, problem) => {
    const parsed = parseTeamsCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(problem);
  });

  it('strips mentions and tags from message text', () => {
    expect(plainMessageText('<at>Elevate</at> <b>list</b>')).toBe('list');
  });
});
