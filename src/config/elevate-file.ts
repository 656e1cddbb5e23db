import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { formatDuration, parseDuration } from '../domain/duration.ts';
import { MAX_APPROVALS_REQUIRED, MAX_GRANT_DURATION_SEC, MAX_PENDING_TTL_SEC } from '../domain/limits.ts';
import type { DesiredState } from '../domain/desired-state.ts';
import { ANYONE } from '../domain/scope.ts';
import { DEFAULT_MFA_AMR, DEFAULT_MFA_MAX_AGE_SEC, MAX_MFA_MAX_AGE_SEC } from '../domain/step-up.ts';
import { ConfigError, type ConfigProblem } from './problems.ts';
import { reasonPatternProblem } from '../domain/reason-pattern.ts';

/*
 * The declarative configuration file (`ELEVATE_CONFIG`): who the principals are and how their
 * chat accounts link to them, who is an admin and who an auditor (reads the audit trail), the
 * scopes, and which reviewer channels review which scopes. The database follows it through `npm run config -- plan|apply`.
 */
export type { DesiredState };

const name = z
  .string({ error: 'expected a name' })
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'expected lower-case letters, digits, ".", "_" or "-" (at most 63, starting with a letter or digit)');
const principalId = z.string({ error: 'expected a principal id' }).min(1).max(200);
const durationText = z.string({ error: 'expected a duration such as 15m, 1h or 1h30m' }).transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const platformName = z.enum(['slack', 'teams'], { error: 'expected slack or teams' });
const channelId = z.string({ error: 'expected a channel id' }).min(1).max(300);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM (24-hour, UTC)');

const principalSchema = z.strictObject({
  id: principalId,
  name: z.string().min(1).max(200).optional(),
  email: z.email({ error: 'expected an e-mail address' }).optional(),
  kind: z.enum(['human', 'service'], { error: 'expected human or service' }).default('human'),
  slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U012AB3CD').optional(),
  teams: z.string().min(3, 'expected a Teams user id (the AAD object id or 29:… id)').optional(),
});

const scopeSchema = z.strictObject({
  name,
  description: z.string({ error: 'expected a description' }).min(1).max(500),
  oauth_scope: z.string({ error: 'expected the OAuth scope string to request' }).regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'expected space-separated OAuth scope tokens (RFC 6749 §3.3)'),
  audience: z.string({ error: 'expected the audience/resource of the token' }).min(1).max(500),
  default_duration: durationText.optional(),
  max_duration: durationText,
  pending_ttl: durationText.default(3600),
  approvals_required: z.int({ error: 'expected a whole number' }).min(1, 'expected at least 1').max(MAX_APPROVALS_REQUIRED, `expected at most ${MAX_APPROVALS_REQUIRED}`).default(1),
  approvers: z.array(principalId, { error: 'expected a list of principal ids' }).default([]),
  requesters: z.array(principalId, { error: 'expected a list of principal ids, or ["*"]' }).default([ANYONE]),
  reason_pattern: z
    .string()
    .superRefine((pattern, ctx) => {
      const problem = reasonPatternProblem(pattern);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  policy: z
    .strictObject({
      auto_approve: z.boolean({ error: 'expected true or false' }).default(false),
      allowed_hours_utc: z.strictObject({ start: clockTime, end: clockTime }).optional(),
      max_requests_per_day: z.int().min(1).optional(),
      dormant_after_days: z.int().min(1).optional(),
      usual_hours_utc: z.strictObject({ start: clockTime, end: clockTime }).optional(),
    })
    .default({ auto_approve: false }),
  mfa: z
    .strictObject({
      requester: z.boolean({ error: 'expected true or false' }).default(true),
      approver: z.boolean({ error: 'expected true or false' }).default(true),
      max_age: durationText.default(DEFAULT_MFA_MAX_AGE_SEC),
      acr_values: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/, 'expected an acr value without spaces or quotes'), { error: 'expected a list of acr values' }).default([]),
      amr: z.array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected an amr value such as mfa, otp or hwk (RFC 8176)'), { error: 'expected a list of amr values' }).default([...DEFAULT_MFA_AMR]),
      allow_service_accounts: z.boolean({ error: 'expected true or false' }).default(false),
    })
    .optional(),
  remind_after: durationText.optional(),
  escalate_to: z
    .strictObject({
      after: durationText,
      channels: z.array(z.strictObject({ platform: platformName, channel: channelId }), { error: 'expected a list of { platform, channel }' }).default([]),
      approvers: z.array(principalId, { error: 'expected a list of principal ids' }).default([]),
    })
    .optional(),
  extend: z
    .strictObject({
      allowed: z.boolean({ error: 'expected true or false' }).default(true),
      max_total: durationText.optional(),
      approvals_required: z.int({ error: 'expected a whole number' }).min(0, 'expected 0 (automatic) or more').max(MAX_APPROVALS_REQUIRED, `expected at most ${MAX_APPROVALS_REQUIRED}`).optional(),
    })
    .optional(),
  break_glass: z
    .strictObject({
      allowed: z.boolean({ error: 'expected true or false' }).default(false),
      max_duration: durationText.optional(),
      broadcast: z
        .array(z.strictObject({ platform: z.enum(['slack', 'teams'], { error: 'expected slack or teams' }), channel: z.string({ error: 'expected a channel id' }).min(1).max(300) }), {
          error: 'expected a list of { platform, channel }',
        })
        .default([]),
      review_within: durationText.default(86_400),
    })
    .optional(),
});

const channelSchema = z.strictObject({
  platform: platformName,
  channel: channelId,
  scopes: z.array(name).min(1, 'expected at least one scope'),
});

const fileSchema = z.strictObject({
  admins: z.array(principalId, { error: 'expected a list of principal ids' }).default([]),
  auditors: z.array(principalId, { error: 'expected a list of principal ids' }).default([]),
  principals: z.array(principalSchema, { error: 'expected a list of principals' }).default([]),
  scopes: z.array(scopeSchema, { error: 'expected a list of scopes' }).default([]),
  channels: z.array(channelSchema, { error: 'expected a list of channel mappings' }).default([]),
});

type FileShape = z.infer<typeof fileSchema>;

/** Parses and checks a config file's text; throws {@link ConfigError} naming every bad key. */
export function parseElevateConfig(text: string, source = 'config file'): DesiredState {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true }) ?? {};
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : 'file';
    throw new ConfigError([{ key: where, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }], source);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ key: formatPath(issue.path), message: issue.message })), source);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return toDesiredState(parsed.data);
}

export function loadElevateConfigFile(path: string): DesiredState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ key: 'ELEVATE_CONFIG', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
  return parseElevateConfig(text, `config file ${path}`);
}

/** Rules that span entries: names unique, references resolvable, limits coherent. */
function crossCheck(file: FileShape): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const principalIds = new Set<string>();
  const chatIds = new Map<string, string>();
  file.principals.forEach((principal, i) => {
    if (principalIds.has(principal.id)) problems.push({ key: `principals[${i}].id`, message: `duplicate principal id "${principal.id}"` });
    principalIds.add(principal.id);
    for (const platform of ['slack', 'teams'] as const) {
      const userId = principal[platform];
      if (userId === undefined) continue;
      const owner = chatIds.get(`${platform}:${userId}`);
      if (owner) problems.push({ key: `principals[${i}].${platform}`, message: `${platform} user ${userId} is already linked to "${owner}"` });
      chatIds.set(`${platform}:${userId}`, principal.id);
    }
  });
  const known = (id: string) => principalIds.has(id);
  file.admins.forEach((id, i) => {
    if (!known(id)) problems.push({ key: `admins[${i}]`, message: `unknown principal "${id}" (declare it under principals)` });
  });
  file.auditors.forEach((id, i) => {
    if (!known(id)) problems.push({ key: `auditors[${i}]`, message: `unknown principal "${id}" (declare it under principals)` });
  });

  const scopeNames = new Set<string>();
  file.scopes.forEach((scope, i) => {
    const at = `scopes[${i}]`;
    if (scopeNames.has(scope.name)) problems.push({ key: `${at}.name`, message: `duplicate scope name "${scope.name}"` });
    scopeNames.add(scope.name);
    if (scope.max_duration > MAX_GRANT_DURATION_SEC) {
      problems.push({ key: `${at}.max_duration`, message: `${formatDuration(scope.max_duration)} is over the maximum of ${formatDuration(MAX_GRANT_DURATION_SEC)}` });
    }
    if (scope.default_duration !== undefined && scope.default_duration > scope.max_duration) {
      problems.push({ key: `${at}.default_duration`, message: `${formatDuration(scope.default_duration)} is over this scope's max_duration of ${formatDuration(scope.max_duration)}` });
    }
    if (scope.pending_ttl > MAX_PENDING_TTL_SEC) {
      problems.push({ key: `${at}.pending_ttl`, message: `${formatDuration(scope.pending_ttl)} is over the maximum of ${formatDuration(MAX_PENDING_TTL_SEC)}` });
    }
    scope.approvers.forEach((id, j) => {
      if (!known(id)) problems.push({ key: `${at}.approvers[${j}]`, message: `unknown principal "${id}"` });
    });
    scope.requesters.forEach((id, j) => {
      if (id !== ANYONE && !known(id)) problems.push({ key: `${at}.requesters[${j}]`, message: `unknown principal "${id}" (or "*" for everyone)` });
    });
    if (scope.mfa) {
      if (scope.mfa.max_age > MAX_MFA_MAX_AGE_SEC) problems.push({ key: `${at}.mfa.max_age`, message: `${formatDuration(scope.mfa.max_age)} is over the maximum of ${formatDuration(MAX_MFA_MAX_AGE_SEC)}` });
      if (scope.mfa.acr_values.length === 0 && scope.mfa.amr.length === 0) {
        problems.push({ key: `${at}.mfa`, message: 'lists neither acr_values nor amr, so no sign-in could ever be accepted' });
      }
    }
    if (scope.remind_after !== undefined && scope.remind_after >= scope.pending_ttl) {
      problems.push({ key: `${at}.remind_after`, message: `${formatDuration(scope.remind_after)} is not before this scope's pending_ttl of ${formatDuration(scope.pending_ttl)}, so no reminder would ever be sent` });
    }
    if (scope.escalate_to) {
      const escalation = scope.escalate_to;
      if (escalation.after >= scope.pending_ttl) {
        problems.push({ key: `${at}.escalate_to.after`, message: `${formatDuration(escalation.after)} is not before this scope's pending_ttl of ${formatDuration(scope.pending_ttl)}, so no request would ever be escalated` });
      }
      if (escalation.channels.length === 0 && escalation.approvers.length === 0) {
        problems.push({ key: `${at}.escalate_to`, message: 'names neither channels nor approvers, so escalating would change nothing' });
      }
      escalation.approvers.forEach((id, j) => {
        if (!known(id)) problems.push({ key: `${at}.escalate_to.approvers[${j}]`, message: `unknown principal "${id}"` });
      });
      const seen = new Set<string>();
      escalation.channels.forEach((channel, j) => {
        const id = `${channel.platform}:${channel.channel}`;
        if (seen.has(id)) problems.push({ key: `${at}.escalate_to.channels[${j}]`, message: `${channel.platform} channel ${channel.channel} is listed twice` });
        seen.add(id);
        const reviews = file.channels.some((c) => c.platform === channel.platform && c.channel === channel.channel && c.scopes.includes(scope.name));
        if (reviews) problems.push({ key: `${at}.escalate_to.channels[${j}]`, message: `${channel.platform} channel ${channel.channel} already reviews "${scope.name}" from the start; escalate to another channel` });
      });
    }
    if (scope.extend?.max_total !== undefined && scope.extend.max_total > MAX_GRANT_DURATION_SEC) {
      problems.push({ key: `${at}.extend.max_total`, message: `${formatDuration(scope.extend.max_total)} is over the maximum of ${formatDuration(MAX_GRANT_DURATION_SEC)}` });
    }
    const extensionApprovals = scope.extend?.approvals_required ?? 0;
    if (scope.extend?.allowed !== false && extensionApprovals > 0 && new Set(scope.approvers).size < extensionApprovals) {
      problems.push({
        key: `${at}.extend.approvals_required`,
        message: `needs ${extensionApprovals} approvals but only ${new Set(scope.approvers).size} approver(s) are listed, so no extension could ever be approved`,
      });
    }
    if (scope.break_glass?.max_duration !== undefined && scope.break_glass.max_duration > scope.max_duration) {
      problems.push({ key: `${at}.break_glass.max_duration`, message: `${formatDuration(scope.break_glass.max_duration)} is over this scope's max_duration of ${formatDuration(scope.max_duration)}` });
    }
    if (scope.break_glass?.allowed && scope.approvers.length === 0) {
      problems.push({ key: `${at}.break_glass`, message: 'allows break-glass but lists no approvers, so nobody could review a break-glass grant' });
    }
    if (scope.break_glass && scope.break_glass.review_within > 7 * 86_400) {
      problems.push({ key: `${at}.break_glass.review_within`, message: `${formatDuration(scope.break_glass.review_within)} is over the maximum of 7d` });
    }
    if (!scope.policy.auto_approve && new Set(scope.approvers).size < scope.approvals_required) {
      problems.push({
        key: `${at}.approvals_required`,
        message: `needs ${scope.approvals_required} approvals but only ${new Set(scope.approvers).size} approver(s) are listed, so no request could ever be approved`,
      });
    }
  });

  const mapped = new Set<string>();
  file.channels.forEach((channel, i) => {
    channel.scopes.forEach((scopeName, j) => {
      if (!scopeNames.has(scopeName)) problems.push({ key: `channels[${i}].scopes[${j}]`, message: `unknown scope "${scopeName}"` });
      const id = `${channel.platform}:${channel.channel}:${scopeName}`;
      if (mapped.has(id)) problems.push({ key: `channels[${i}].scopes[${j}]`, message: `${channel.platform} channel ${channel.channel} is already mapped to "${scopeName}"` });
      mapped.add(id);
    });
  });
  return problems;
}

function toDesiredState(file: FileShape): DesiredState {
  const admins = new Set(file.admins);
  const auditors = new Set(file.auditors);
  return {
    admins: [...admins],
    principals: file.principals.map((p) => ({
      id: p.id,
      displayName: p.name ?? p.id,
      email: p.email ?? null,
      kind: p.kind,
      isAdmin: admins.has(p.id),
      isAuditor: auditors.has(p.id),
    })),
    identities: file.principals.flatMap((p) => [
      ...(p.slack ? [{ platform: 'slack' as const, userId: p.slack, principalId: p.id }] : []),
      ...(p.teams ? [{ platform: 'teams' as const, userId: p.teams, principalId: p.id }] : []),
    ]),
    scopes: file.scopes.map((s) => ({
      name: s.name,
      description: s.description,
      oauthScope: s.oauth_scope,
      audience: s.audience,
      defaultDurationSec: s.default_duration ?? Math.min(s.max_duration, 3600),
      maxDurationSec: s.max_duration,
      pendingTtlSec: s.pending_ttl,
      approvalsRequired: s.approvals_required,
      approvers: [...new Set(s.approvers)],
      requesters: [...new Set(s.requesters)],
      reasonPattern: s.reason_pattern ?? null,
      policy: {
        autoApprove: s.policy.auto_approve,
        allowedHoursUtc: s.policy.allowed_hours_utc ?? null,
        maxRequestsPerDay: s.policy.max_requests_per_day ?? null,
        dormantAfterDays: s.policy.dormant_after_days ?? null,
        ...(s.policy.usual_hours_utc ? { usualHoursUtc: s.policy.usual_hours_utc } : {}),
      },
      mfa: s.mfa
        ? {
            requester: s.mfa.requester,
            approver: s.mfa.approver,
            maxAgeSec: s.mfa.max_age,
            acrValues: [...new Set(s.mfa.acr_values)],
            amr: [...new Set(s.mfa.amr)],
            allowServiceAccounts: s.mfa.allow_service_accounts,
          }
        : null,
      remindAfterSec: s.remind_after ?? null,
      escalation: s.escalate_to
        ? {
            afterSec: s.escalate_to.after,
            channels: s.escalate_to.channels.map((c) => ({ platform: c.platform, channelId: c.channel })),
            approvers: [...new Set(s.escalate_to.approvers)],
          }
        : null,
      extend: s.extend
        ? { allowed: s.extend.allowed, maxTotalSec: s.extend.max_total ?? null, approvalsRequired: s.extend.approvals_required ?? null }
        : null,
      breakGlass: s.break_glass
        ? {
            allowed: s.break_glass.allowed,
            maxDurationSec: s.break_glass.max_duration ?? null,
            broadcast: s.break_glass.broadcast.map((b) => ({ platform: b.platform, channelId: b.channel })),
            reviewWithinSec: s.break_glass.review_within,
          }
        : null,
    })),
    mappings: file.channels.flatMap((c) => c.scopes.map((scopeName) => ({ platform: c.platform, channelId: c.channel, scopeName }))),
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? String(part) : `${out}.${String(part)}`), '');
}
