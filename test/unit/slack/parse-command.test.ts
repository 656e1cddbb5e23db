import { describe, expect, it } from 'vitest';
import { parseSlackCommand } from '../../../src/adapters/slack/commands/parse-command.ts';

describe('parseSlackCommand', () => {
  it.each([
    ['', { kind: 'open_form' }],
    ['   ', { kind: 'open_form' }],
    ['help', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['done g-abc', { kind: 'done', grantId: 'g-abc' }],
    ['cancel r-abc', { kind: 'cancel', requestId: 'r-abc' }],
    ['prod-db-admin 1h30m INC-1  slow   queries', { kind: 'request', scopeName: 'prod-db-admin', duration: '1h30m', reason: 'INC-1  slow   queries' }],
    ['prod-db-admin 15m 1h is not part of the duration', { kind: 'request', scopeName: 'prod-db-admin', duration: '15m', reason: '1h is not part of the duration' }],
    ['admin map <#C0123ABC|reviewers> prod-db-admin', { kind: 'admin_map', channelId: 'C0123ABC', scopeName: 'prod-db-admin' }],
    ['admin unmap C0123ABC prod-db-admin', { kind: 'admin_unmap', channelId: 'C0123ABC', scopeName: 'prod-db-admin' }],
    ['admin mappings', { kind: 'admin_mappings' }],
    ['admin scopes', { kind: 'admin_scopes' }],
  ])('reads %j', (text, expected) => {
    expect(parseSlackCommand(text)).toEqual(expected);
  });

  it.each([
    ['prod-db-admin', /Add a duration/],
    ['prod-db-admin soon because', /Add a duration/],
    ['prod-db-admin 1h', /Say why you need it/],
    ['done', /Say which grant to end/],
    ['admin map #reviewers prod-db-admin', /Name a channel and a scope/],
    ['admin delete-everything', /Use `\/elevate admin map/],
  ])('says what to fix in %j', (text, problem) => {
    const parsed = parseSlackCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(problem);
  });
});
