import { describe, expect, it } from 'vitest';
import { parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { ConfigError } from '../../../src/config/problems.ts';

const VALID = `
admins: [erin]
principals:
  - { id: alice, name: Alice, email: alice@example.com, slack: U0ALICE }
  - { id: bob, slack: U0BOB, teams: "29:bob" }
  - { id: erin, kind: human }
  - { id: ci-bot, kind: service }
scopes:
  - name: prod-db-admin
    description: Administer the production database
    oauth_scope: db:admin db:read
    audience: https://db.example.com
    default_duration: 30m
    max_duration: 2h
    pending_ttl: 15m
    approvals_required: 1
    approvers: [bob]
    reason_pattern: "^[A-Z]+-[0-9]+"
    policy: { allowed_hours_utc: { start: "08:00", end: "18:00" }, max_requests_per_day: 5 }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;

function problemsOf(yaml: string): { key: string; message: string }[] {
  try {
    parseElevateConfig(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

/** Replaces one line of the valid file, so each case shows exactly what it breaks. */
function breaking(line: string, replacement: string): string {
  if (!VALID.includes(line)) throw new Error(`test setup: ${line} not in the valid file`);
  return VALID.replace(line, replacement);
}

describe('config file', () => {
  it('reads a valid file into principals, identities, scopes and mappings', () => {
    const state = parseElevateConfig(VALID);
    expect(state.principals.map((p) => [p.id, p.isAdmin])).toEqual([
      ['alice', false],
      ['bob', false],
      ['erin', true],
      ['ci-bot', false],
    ]);
    expect(state.identities).toEqual([
      { platform: 'slack', userId: 'U0ALICE', principalId: 'alice' },
      { platform: 'slack', userId: 'U0BOB', principalId: 'bob' },
      { platform: 'teams', userId: '29:bob', principalId: 'bob' },
    ]);
    expect(state.scopes[0]).toMatchObject({ defaultDurationSec: 1800, maxDurationSec: 7200, pendingTtlSec: 900, requesters: ['*'], policy: { autoApprove: false, maxRequestsPerDay: 5 } });
    expect(state.mappings).toEqual([{ platform: 'slack', channelId: 'C0REVIEW', scopeName: 'prod-db-admin' }]);
  });

  it('reads an mfa block with its defaults, and no block as no step-up', () => {
    expect(parseElevateConfig(VALID).scopes[0]?.mfa).toBeNull();
    const scope = parseElevateConfig(breaking('approvers: [bob]', 'approvers: [bob]\n    mfa: { approver: false, acr_values: [urn:example:loa:3] }')).scopes[0];
    expect(scope?.mfa).toEqual({ requester: true, approver: false, maxAgeSec: 300, acrValues: ['urn:example:loa:3'], amr: ['mfa'], allowServiceAccounts: false });
  });

  it('reads an extend block, and no block as the defaults (allowed, up to max_duration, the scope’s approvals)', () => {
    expect(parseElevateConfig(VALID).scopes[0]?.extend).toBeNull();
    const scope = parseElevateConfig(breaking('approvers: [bob]', 'approvers: [bob]\n    extend: { max_total: 2h, approvals_required: 0 }')).scopes[0];
    expect(scope?.extend).toEqual({ allowed: true, maxTotalSec: 7200, approvalsRequired: 0 });
    expect(parseElevateConfig(breaking('approvers: [bob]', 'approvers: [bob]\n    extend: { allowed: false }')).scopes[0]?.extend).toEqual({ allowed: false, maxTotalSec: null, approvalsRequired: null });
  });

  it('reads a break_glass block with its defaults (not allowed, reviewed within 24h, no broadcast), and no block as none', () => {
    expect(parseElevateConfig(VALID).scopes[0]?.breakGlass).toBeNull();
    const yaml = breaking('approvers: [bob]', 'approvers: [bob]\n    break_glass: { allowed: true, max_duration: 30m, broadcast: [{ platform: slack, channel: C0SECURITY }] }');
    expect(parseElevateConfig(yaml).scopes[0]?.breakGlass).toEqual({ allowed: true, maxDurationSec: 1800, broadcast: [{ platform: 'slack', channelId: 'C0SECURITY' }], reviewWithinSec: 86_400 });
    expect(parseElevateConfig(breaking('approvers: [bob]', 'approvers: [bob]\n    break_glass: {}')).scopes[0]?.breakGlass).toMatchObject({ allowed: false });
  });

  it.each([
    ['a break_glass max_duration over the scope’s', breaking('approvers: [bob]', 'approvers: [bob]\n    break_glass: { allowed: true, max_duration: 3h }'), 'scopes[0].break_glass.max_duration', /over this scope's max_duration of 2h/],
    ['a break_glass broadcast on an unknown platform', breaking('approvers: [bob]', 'approvers: [bob]\n    break_glass: { allowed: true, broadcast: [{ platform: irc, channel: x }] }'), 'scopes[0].break_glass.broadcast[0].platform', /slack or teams/],
    ['a break_glass review_within over a week', breaking('approvers: [bob]', 'approvers: [bob]\n    break_glass: { allowed: true, review_within: 8d }'), 'scopes[0].break_glass.review_within', /over the maximum of 7d/],
    ['an extend max_total over the hard maximum', breaking('approvers: [bob]', 'approvers: [bob]\n    extend: { max_total: 2d }'), 'scopes[0].extend.max_total', /over the maximum of 1d/],
    ['more extension approvals than approvers', breaking('approvers: [bob]', 'approvers: [bob]\n    extend: { approvals_required: 2 }'), 'scopes[0].extend.approvals_required', /only 1 approver/],
    ['a negative number of extension approvals', breaking('approvers: [bob]', 'approvers: [bob]\n    extend: { approvals_required: -1 }'), 'scopes[0].extend.approvals_required', /0 \(automatic\) or more/],
    ['a wrong type', breaking('approvals_required: 1', 'approvals_required: "one"'), 'scopes[0].approvals_required', /whole number/],
    ['a bad duration', breaking('max_duration: 2h', 'max_duration: two hours'), 'scopes[0].max_duration', /not a duration/],
    ['a duration over the hard maximum', breaking('max_duration: 2h', 'max_duration: 2d'), 'scopes[0].max_duration', /2d is over the maximum of 1d/],
    ['a default over the scope maximum', breaking('default_duration: 30m', 'default_duration: 3h'), 'scopes[0].default_duration', /3h is over this scope's max_duration of 2h/],
    ['an unknown scope in a mapping', breaking('scopes: [prod-db-admin] }', 'scopes: [prod-db-root] }'), 'channels[0].scopes[0]', /unknown scope "prod-db-root"/],
    ['an unknown approver', breaking('approvers: [bob]', 'approvers: [bob, mallory]'), 'scopes[0].approvers[1]', /unknown principal "mallory"/],
    ['an unknown admin', breaking('admins: [erin]', 'admins: [eve]'), 'admins[0]', /unknown principal "eve"/],
    ['a duplicate principal', breaking('  - { id: ci-bot, kind: service }', '  - { id: bob }'), 'principals[3].id', /duplicate principal id "bob"/],
    ['a Slack account linked twice', breaking('  - { id: ci-bot, kind: service }', '  - { id: ci-bot, kind: service, slack: U0ALICE }'), 'principals[3].slack', /already linked to "alice"/],
    ['more approvals than approvers', breaking('approvals_required: 1', 'approvals_required: 2'), 'scopes[0].approvals_required', /only 1 approver/],
    ['an invalid regular expression', breaking('reason_pattern: "^[A-Z]+-[0-9]+"', 'reason_pattern: "([A-Z"'), 'scopes[0].reason_pattern', /RE2 syntax.*missing closing/],
    ['a backreference, which needs a backtracking engine', breaking('reason_pattern: "^[A-Z]+-[0-9]+"', 'reason_pattern: "^(INC)-\\\\1$"'), 'scopes[0].reason_pattern', /no backreferences or lookaround.*invalid escape sequence/],
    ['a lookahead', breaking('reason_pattern: "^[A-Z]+-[0-9]+"', 'reason_pattern: "^(?=INC)"'), 'scopes[0].reason_pattern', /no backreferences or lookaround/],
    ['an over-long pattern', breaking('reason_pattern: "^[A-Z]+-[0-9]+"', `reason_pattern: "${'a'.repeat(201)}"`), 'scopes[0].reason_pattern', /at most 200 characters/],
    ['an unknown key (a typo)', breaking('pending_ttl: 15m', 'pending_tll: 15m'), 'scopes[0]', /pending_tll/],
    ['a bad time window', breaking('start: "08:00"', 'start: "8am"'), 'scopes[0].policy.allowed_hours_utc.start', /HH:MM/],
    ['an unknown platform', breaking('platform: slack', 'platform: discord'), 'channels[0].platform', /slack or teams/],
    ['an mfa block that accepts nothing', breaking('approvers: [bob]', 'approvers: [bob]\n    mfa: { amr: [] }'), 'scopes[0].mfa', /neither acr_values nor amr/],
    ['an mfa max_age over a day', breaking('approvers: [bob]', 'approvers: [bob]\n    mfa: { max_age: 2d }'), 'scopes[0].mfa.max_age', /over the maximum of 1d/],
    ['an unknown mfa key', breaking('approvers: [bob]', 'approvers: [bob]\n    mfa: { requestor: true }'), 'scopes[0].mfa', /requestor/],
    ['an amr with spaces', breaking('approvers: [bob]', 'approvers: [bob]\n    mfa: { amr: ["one time"] }'), 'scopes[0].mfa.amr[0]', /RFC 8176/],
  ])('names the key for %s', (_name, yaml, key, message) => {
    const problems = problemsOf(yaml);
    expect(problems).toContainEqual({ key, message: expect.stringMatching(message) });
  });

  it('rejects duplicate scope names', () => {
    const yaml = VALID.replace('channels:', `  - { name: prod-db-admin, description: again, oauth_scope: x, audience: y, max_duration: 1h, approvers: [bob] }\nchannels:`);
    expect(problemsOf(yaml)).toContainEqual({ key: 'scopes[1].name', message: 'duplicate scope name "prod-db-admin"' });
  });

  it('reports every problem at once, not only the first', () => {
    const yaml = breaking('approvals_required: 1', 'approvals_required: 0').replace('max_duration: 2h', 'max_duration: forever');
    expect(problemsOf(yaml).map((p) => p.key).sort()).toEqual(['scopes[0].approvals_required', 'scopes[0].max_duration']);
  });

  it('points at the line of a YAML syntax error', () => {
    expect(problemsOf('scopes:\n  - name: [unclosed\n')).toEqual([{ key: expect.stringMatching(/^line \d+$/), message: expect.stringContaining('not valid YAML') }]);
  });

  it('formats the error message with every key, for the start-up log', () => {
    expect(() => parseElevateConfig(breaking('max_duration: 2h', 'max_duration: 2d'), 'config file elevate.yaml')).toThrow(
      /Invalid config file elevate.yaml:\n {2}- scopes\[0\]\.max_duration: 2d is over the maximum of 1d/,
    );
  });
});

describe('shipped example', () => {
  it('parses the example configuration referenced by the README', async () => {
    const { loadElevateConfigFile } = await import('../../../src/config/elevate-file.ts');
    const state = loadElevateConfigFile(new URL('../../../src/config/elevate.example.yaml', import.meta.url).pathname);
    expect(state.scopes.map((s) => s.name)).toEqual(['prod-db-admin', 'deploy-prod']);
    expect(state.principals.find((p) => p.id === 'ci-deployer')?.kind).toBe('service');
  });
});

describe('reminders and escalation in the config file', () => {
  const withFollowUps = (lines: string) => breaking('    approvers: [bob]\n', `    approvers: [bob]\n${lines}`);

  it('reads remind_after, escalate_to and usual hours, and leaves the reminder at its default when not given', () => {
    expect(parseElevateConfig(VALID).scopes[0]).toMatchObject({ remindAfterSec: null, escalation: null });
    const state = parseElevateConfig(
      withFollowUps('    remind_after: 5m\n    escalate_to: { after: 10m, channels: [{ platform: teams, channel: "19:oncall" }], approvers: [erin, erin] }\n').replace(
        'max_requests_per_day: 5 }',
        'max_requests_per_day: 5, usual_hours_utc: { start: "09:00", end: "17:00" } }',
      ),
    );
    expect(state.scopes[0]).toMatchObject({
      remindAfterSec: 300,
      escalation: { afterSec: 600, channels: [{ platform: 'teams', channelId: '19:oncall' }], approvers: ['erin'] },
      policy: { usualHoursUtc: { start: '09:00', end: '17:00' } },
    });
  });

  it.each([
    ['    remind_after: 15m\n', 'scopes[0].remind_after', /not before this scope's pending_ttl/],
    ['    remind_after: soon\n', 'scopes[0].remind_after', /.+/],
    ['    escalate_to: { after: 20m, approvers: [erin] }\n', 'scopes[0].escalate_to.after', /not before this scope's pending_ttl/],
    ['    escalate_to: { after: 5m }\n', 'scopes[0].escalate_to', /neither channels nor approvers/],
    ['    escalate_to: { after: 5m, approvers: [mallory] }\n', 'scopes[0].escalate_to.approvers[0]', /unknown principal "mallory"/],
    ['    escalate_to: { after: 5m, channels: [{ platform: irc, channel: "#x" }] }\n', 'scopes[0].escalate_to.channels[0].platform', /slack or teams/],
    ['    escalate_to: { after: 5m, channels: [{ platform: slack, channel: C0REVIEW }] }\n', 'scopes[0].escalate_to.channels[0]', /already reviews "prod-db-admin"/],
    ['    escalate_to: { after: 5m, channels: [{ platform: slack, channel: C0X }, { platform: slack, channel: C0X }] }\n', 'scopes[0].escalate_to.channels[1]', /listed twice/],
    ['    escalate_to: { after: 5m, approvers: [erin], notify: all }\n', 'scopes[0].escalate_to', /notify/],
  ])('rejects %j, naming %s', (lines, key, message) => {
    const problems = problemsOf(withFollowUps(lines));
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ key, message: expect.stringMatching(message) })]));
  });
});
