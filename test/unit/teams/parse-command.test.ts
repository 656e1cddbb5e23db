import { describe, expect, it } from 'vitest';
import { parseTeamsCommand } from '../../../src/adapters/teams/commands/parse-command.ts';
import { typedText } from '../../../src/adapters/teams/commands/typed-text.ts';

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
    expect(parseTeamsCommand(typedText({ text }))).toEqual(expected);
  });

  it.each([
    ['elevate prod-db-admin', /Add a duration/],
    ['elevate prod-db-admin soon please', /Add a duration/],
    ['elevate prod-db-admin 1h', /Say why/],
    ['done', /Say which grant/],
    ['admin map', /Name a scope/],
    ['sudo make me admin', /don’t know/],
  ])('explains what to fix in %j', (text, problem) => {
    const parsed = parseTeamsCommand(typedText({ text }));
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(problem);
  });

  it('strips the bot mention and tags from message text', () => {
    expect(typedText({ text: '<at>Elevate</at> <b>list</b>' })).toBe('list');
  });
});

describe('typedText', () => {
  const bot = { type: 'mention', text: '<at>Elevate</at>', mentioned: { id: '28:bot', name: 'Elevate' } };
  const bob = { type: 'mention', text: '<at>Bob Approver</at>', mentioned: { id: '29:bob', name: 'Bob Approver' } };

  it('writes a mention of a person as @name and drops the mention of the bot', () => {
    expect(typedText({ text: '<at>Elevate</at> ping <at>Bob Approver</at> please', entities: [bot, bob], recipientId: '28:bot' })).toBe('ping @Bob Approver please');
    expect(typedText({ text: '<p>elevate prod 1h ping <at>Bob Approver</at></p>', entities: [bob], recipientId: '28:bot' })).toBe('elevate prod 1h ping @Bob Approver');
  });

  it('without entities, takes only a mention that opens the message for the bot', () => {
    expect(typedText({ text: '<p><at>Elevate</at>&nbsp;list</p>' })).toBe('list');
    expect(typedText({ text: 'elevate prod 1h ask <at>Bob</at>' })).toBe('elevate prod 1h ask @Bob');
  });

  it('decodes every entity exactly once, names in mentions included', () => {
    expect(typedText({ text: 'a &amp;lt;b&amp;gt; &lt;i&gt; &quot;x&quot; &#39;y&#39; &#x41; &amp; z' })).toBe('a &lt;b&gt; <i> "x" \'y\' A & z');
    expect(typedText({ text: 'ask <at>O&#39;Brien &amp;amp; Co</at>' })).toBe("ask @O'Brien &amp; Co");
  });

  it('keeps what is not a character, or would hide a control character, as it was sent', () => {
    expect(typedText({ text: 'a &#0; b &#x1b; c &#xD800; d &bogus; e' })).toBe('a &#0; b &#x1b; c &#xD800; d &bogus; e');
  });

  it('drops formatting tags without splitting words and separates blocks', () => {
    expect(typedText({ text: '<p>INC-<b>42</b></p><p>second</p>' })).toBe('INC-42  second');
  });
});
