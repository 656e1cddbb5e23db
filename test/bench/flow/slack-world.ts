import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { exchangeInput } from '../../fakes/oauth/builders.ts';
import { TEST_SCOPES } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { FAKE_BOT_TOKEN, type FakeSlack, type RecordedCall } from '../../fakes/slack/fake-slack-server.ts';
import { TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';

export const REVIEWERS = 'C0REVIEW';
export const APPROVER = 'bob';
/** The benchmarks' one scope, as the development AS in its own process knows it. */
export const BENCH_SCOPE = TEST_SCOPES[0]!;

export const slackUserOf = (person: string) => `U${person.toUpperCase()}`;
/** The direct-message channel the fake opens for a person (`conversations.open`). */
export const dmChannelOf = (person: string) => `D${person.toUpperCase()}`;

/** A token exchange for the benchmark's scope, as the service asks for one. */
export const benchExchange = (grantId: string) =>
  exchangeInput({ grantId, requester: { id: 'p0', kind: 'human' }, approvers: [APPROVER], scope: { name: BENCH_SCOPE.name, oauthScope: BENCH_SCOPE.oauthScope, audience: BENCH_SCOPE.audience } });

/**
 * The configuration file of the benchmarks: `people` may request `prod-db-admin`, which bob
 * approves in `C0REVIEW`; each person's Slack id is `U<NAME>`. Returns the file's path.
 */
export function writeBenchConfig(dir: string, people: readonly string[]): string {
  const file = join(dir, 'elevate.yaml');
  writeFileSync(
    file,
    [
      'admins: [erin]',
      'principals:',
      `  - { id: ${APPROVER}, slack: ${slackUserOf(APPROVER)} }`,
      '  - { id: erin, slack: UERIN }',
      '  - { id: holder, slack: UHOLDER }',
      ...people.map((p) => `  - { id: ${p}, slack: ${slackUserOf(p)} }`),
      'scopes:',
      `  - { name: ${BENCH_SCOPE.name}, description: Administer the production database, oauth_scope: "${BENCH_SCOPE.oauthScope}", audience: "${BENCH_SCOPE.audience}", max_duration: 2h, approvers: [${APPROVER}] }`,
      'channels:',
      `  - { platform: slack, channel: ${REVIEWERS}, scopes: [${BENCH_SCOPE.name}] }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** The environment that turns the service's Slack adapter on against the fake Web API. */
export function slackEnvFor(fake: FakeSlack): Record<string, string> {
  return { SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl };
}

/**
 * Waits for Web API calls as the fake Slack answers them, instead of polling its list: each
 * `next` resolves with the first recorded call (already recorded or still to come) that matches
 * and was not handed to an earlier `next`, or fails after `timeoutMs` saying what it waited for.
 */
export class CallWaiter {
  private readonly waiting = new Set<{ matches: (call: RecordedCall) => boolean; resolve: (call: RecordedCall) => void }>();
  private readonly taken = new WeakSet<RecordedCall>();

  constructor(private readonly fake: FakeSlack) {
    fake.onCall((call) => {
      for (const waiter of this.waiting) {
        if (this.taken.has(call) || !waiter.matches(call)) continue;
        this.taken.add(call);
        this.waiting.delete(waiter);
        waiter.resolve(call);
      }
    });
  }

  next(what: string, matches: (call: RecordedCall) => boolean, timeoutMs = 180_000): Promise<RecordedCall> {
    const already = this.fake.calls.find((call) => !this.taken.has(call) && matches(call));
    if (already) {
      this.taken.add(already);
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (call: RecordedCall) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.add(waiter);
    });
  }

  /** The approval message of the request whose reason carries `marker`, in the reviewer channel. */
  reviewerPost(marker: string): Promise<{ requestId: string; at: number }> {
    return this.next(`reviewer post of ${marker}`, (call) => isPost(call, REVIEWERS) && blocksText(call).includes(marker)).then((call) => ({
      requestId: buttonValue(call, ACTIONS.approve) ?? '',
      at: call.at,
    }));
  }

  /** The first update of the approval message of the request whose reason carries `marker`. */
  approvalUpdate(marker: string): Promise<{ at: number }> {
    return this.next(`approval message update of ${marker}`, (call) => call.method === 'chat.update' && call.outcome === 'ok' && call.args.channel === REVIEWERS && blocksText(call).includes(marker)).then((call) => ({ at: call.at }));
  }

  /** The requester's direct message that delivers the grant of `requestId` (its "I'm done" button carries the grant id). */
  grantIssuedDm(person: string, requestId: string): Promise<{ grantId: string; at: number }> {
    return this.next(`grant DM of ${requestId}`, (call) => isPost(call, dmChannelOf(person)) && buttonValue(call, ACTIONS.endGrant) !== null && blocksText(call).includes(requestId)).then((call) => ({
      grantId: buttonValue(call, ACTIONS.endGrant)!,
      at: call.at,
    }));
  }

  /** The requester's direct message saying the grant of `requestId` ended and its token was revoked. */
  grantEndedDm(person: string, requestId: string): Promise<{ at: number }> {
    return this.next(`grant-ended DM of ${requestId}`, (call) => isPost(call, dmChannelOf(person)) && /has ended/.test(blocksText(call)) && blocksText(call).includes(requestId)).then((call) => ({ at: call.at }));
  }
}

function isPost(call: RecordedCall, channel: string): boolean {
  return call.method === 'chat.postMessage' && call.outcome === 'ok' && call.args.channel === channel;
}

/** The message's blocks as one string (the fake keeps them as the client sent them: a JSON string or an array). */
function blocksText(call: RecordedCall): string {
  const blocks = call.args.blocks;
  return typeof blocks === 'string' ? blocks : JSON.stringify(blocks ?? call.args.text ?? '');
}

function buttonValue(call: RecordedCall, actionId: string): string | null {
  const blocks = typeof call.args.blocks === 'string' ? (JSON.parse(call.args.blocks) as unknown) : call.args.blocks;
  let found: string | null = null;
  const walk = (value: unknown): void => {
    if (found !== null || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    const element = value as Record<string, unknown>;
    if (element.action_id === actionId && typeof element.value === 'string') found = element.value;
    else Object.values(element).forEach(walk);
  };
  walk(blocks);
  return found;
}
