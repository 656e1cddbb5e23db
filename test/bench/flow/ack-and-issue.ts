/**
 * P1 and P2 of the flow benchmark, on one service in its own process (embedded AS, Bolt over
 * HTTP) against the fake Slack Web API; its store is embedded PGlite, or with `databaseUrl` a
 * throwaway database on that PostgreSQL server (what a production deployment runs on).
 *
 * P1: `commands` signed `/elevate` commands from as many people, all sent at once, timed from
 * each send to its HTTP answer (the acknowledgement); beside them, the same commands sent the same
 * way to a Bolt app that only acknowledges (bare-bolt-process.ts). `ackP99Ratio` = service p99 /
 * bare p99, target ≤ 1.5.
 *
 * P2: `approvals` of those requests, one after another, each timed from the approver's click to the
 * requester's direct message that delivers the grant (token exchanged, stored, message sent);
 * between the clicks, as many token exchanges sent directly to the same embedded AS with the bot's
 * own keys. `issueP50Ratio` = click → message p50 / direct exchange p50, target ≤ 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenIssuer } from '../../../src/adapters/oauth/index.ts';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender } from '../../fakes/slack/slack-sender.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { createThrowawayDatabase } from '../../support/postgres.ts';
import { spawnBenchChild } from '../child-process.ts';
import { percentile, round } from '../figures.ts';
import { botKeysIn, startServiceInstance } from './instances.ts';
import { APPROVER, benchExchange, BENCH_SCOPE, CallWaiter, REVIEWERS, slackEnvFor, slackUserOf, writeBenchConfig } from './slack-world.ts';

const WARM_UP = 10;

export interface AckFigures {
  commands: number;
  serviceAckP50Ms: number | null;
  serviceAckP99Ms: number | null;
  bareAckP50Ms: number | null;
  bareAckP99Ms: number | null;
  ackP99Ratio: number;
}

export interface IssueFigures {
  approvals: number;
  clickToGrantDmP50Ms: number | null;
  clickToGrantDmP99Ms: number | null;
  /** Of that, the time until the approval message showed the decision (before the exchange starts). */
  clickToMessageUpdateP50Ms: number | null;
  asExchangeP50Ms: number | null;
  asExchangeP99Ms: number | null;
  /** Click → grant DM p50 minus the direct exchange's p50: what the service adds to the exchange. */
  clickOverheadP50Ms: number;
  issueP50Ratio: number;
}

export async function runAckAndIssue(options: { commands: number; approvals: number; databaseUrl: string | null; log: (line: string) => void }): Promise<{ ack: AckFigures; issue: IssueFigures }> {
  const { commands, log } = options;
  const store = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const approvals = Math.min(options.approvals, commands);
  const dir = mkdtempSync(join(tmpdir(), 'elevate-flow-ack-'));
  const people = Array.from({ length: commands }, (_, i) => `a${i}`);
  const warmPeople = Array.from({ length: WARM_UP }, (_, i) => `w${i}`);
  const config = writeBenchConfig(dir, [...people, ...warmPeople]);
  const fake = await startFakeSlack();
  fake.addChannel(REVIEWERS);
  const keys = await botKeysIn(dir);
  const database = options.databaseUrl ? await createThrowawayDatabase(options.databaseUrl) : null;
  const env = { ...(await loopbackServiceEnv(dir)), ...slackEnvFor(fake), ELEVATE_CONFIG: config, LOG_LEVEL: 'error', ...(database ? { DATABASE_URL: database.url } : {}) };
  const [service, bare] = await Promise.all([startServiceInstance(env), spawnBenchChild<{ url: string }>(new URL('./bare-bolt-process.ts', import.meta.url), slackEnvFor(fake))]);
  const waiter = new CallWaiter(fake);
  try {
    const toService = new SlackSender(service.eventsUrl);
    const toBare = new SlackSender(`${bare.ready.url}/slack/events`);

    // Warm-up, untimed: both stacks have answered a few commands (and the service has posted them)
    // before the timing starts.
    for (const sender of [toBare, toService]) await timedCommands(sender, fake, warmPeople.map((p) => [p, `BENCH-w-${p}-END`]), 1);
    const warmPosts = await Promise.all(warmPeople.map((p) => waiter.reviewerPost(`BENCH-w-${p}-END`)));

    // P1: the same commands, all at once, to the bare app and then to the service.
    const bareMs = p50p99(await timedCommands(toBare, fake, people.map((p) => [p, `BENCH-bare-${p}-END`]), commands));
    const serviceMs = p50p99(await timedCommands(toService, fake, people.map((p) => [p, `BENCH-ack-${p}-END`]), commands));
    const posts = await Promise.all(people.map((p) => waiter.reviewerPost(`BENCH-ack-${p}-END`)));
    await settled(fake, WARM_UP + commands);
    const ack: AckFigures = {
      commands,
      serviceAckP50Ms: serviceMs.p50,
      serviceAckP99Ms: serviceMs.p99,
      bareAckP50Ms: bareMs.p50,
      bareAckP99Ms: bareMs.p99,
      ackP99Ratio: round(serviceMs.p99! / bareMs.p99!, 2),
    };
    log(`P1 (${store}) acknowledgement of ${commands} /elevate at once: service p50 ${ack.serviceAckP50Ms} ms, p99 ${ack.serviceAckP99Ms} ms; bare Bolt p50 ${ack.bareAckP50Ms} ms, p99 ${ack.bareAckP99Ms} ms; ackP99Ratio ${ack.ackP99Ratio}`);

    // P2: approvals one at a time, each after one token exchange sent directly to the same AS.
    const issuer = await createTokenIssuer(oauthConfigFor({ issuer: `${service.url}/oauth`, publicUrl: service.url, clientId: 'elevate' }), { logger: silentLogger(), clock: systemClock, keys });
    const approve = async (person: string, marker: string, requestId: string) => {
      const started = Date.now();
      const click = await toService.interaction(buttonClick({ userId: slackUserOf(APPROVER), actionId: ACTIONS.approve, value: requestId, channelId: REVIEWERS, triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
      if (click.status !== 200) throw new Error(`approve click answered ${click.status}`);
      const [updated, delivered] = await Promise.all([waiter.approvalUpdate(marker), waiter.grantIssuedDm(person, requestId)]);
      return { updatedMs: updated.at - started, deliveredMs: delivered.at - started };
    };
    const exchange = async (grantId: string) => {
      const started = performance.now();
      await issuer.exchange(benchExchange(grantId));
      return performance.now() - started;
    };
    for (const [i, post] of warmPosts.entries()) {
      await exchange(`bench-warm-${i}`);
      await approve(warmPeople[i]!, `BENCH-w-${warmPeople[i]}-END`, post.requestId);
    }
    const clickMs: number[] = [];
    const updateMs: number[] = [];
    const directMs: number[] = [];
    for (let i = 0; i < approvals; i += 1) {
      directMs.push(await exchange(`bench-direct-${i}`));
      const { updatedMs, deliveredMs } = await approve(people[i]!, `BENCH-ack-${people[i]}-END`, posts[i]!.requestId);
      clickMs.push(deliveredMs);
      updateMs.push(updatedMs);
    }
    const click = p50p99(clickMs);
    const direct = p50p99(directMs);
    const issue: IssueFigures = {
      approvals,
      clickToGrantDmP50Ms: click.p50,
      clickToGrantDmP99Ms: click.p99,
      clickToMessageUpdateP50Ms: p50p99(updateMs).p50,
      asExchangeP50Ms: direct.p50,
      asExchangeP99Ms: direct.p99,
      clickOverheadP50Ms: round(click.p50! - direct.p50!, 1),
      issueP50Ratio: round(click.p50! / direct.p50!, 2),
    };
    log(
      `P2 (${store}) approve click → grant DM (${approvals}, one at a time): p50 ${issue.clickToGrantDmP50Ms} ms, p99 ${issue.clickToGrantDmP99Ms} ms (the approval message updated after p50 ${issue.clickToMessageUpdateP50Ms} ms); the AS's token exchange driven directly: p50 ${issue.asExchangeP50Ms} ms, p99 ${issue.asExchangeP99Ms} ms; the service adds ${issue.clickOverheadP50Ms} ms at the median; issueP50Ratio ${issue.issueP50Ratio}`,
    );
    return { ack, issue };
  } finally {
    await service.stop();
    await bare.close();
    await fake.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sends `/elevate prod-db-admin 1h <marker> bench` for each [person, marker], `parallel` at a time
 * (all at once when it is their number), and returns each one's time to its HTTP answer.
 */
async function timedCommands(sender: SlackSender, fake: FakeSlack, commands: readonly (readonly [string, string])[], parallel: number): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < commands.length; start += parallel) {
    const batch = await Promise.all(
      commands.slice(start, start + parallel).map(async ([person, marker]) => {
        const started = performance.now();
        const sent = await sender.command({ userId: slackUserOf(person), text: `${BENCH_SCOPE.name} 1h ${marker} bench`, responseUrl: fake.responseUrl(), triggerId: fake.triggerId() });
        const ms = performance.now() - started;
        if (sent.status !== 200 || sent.body.includes('handling a burst')) throw new Error(`/elevate answered ${sent.status} ${sent.body.slice(0, 200)}`);
        return ms;
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** Waits until the service has answered every command it took through its response_url (its follow-ups are done). */
async function settled(fake: FakeSlack, commandsToService: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (fake.responses.length < commandsToService && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The median and 99th percentile of some times, to a tenth of a millisecond. */
function p50p99(ms: number[]): { p50: number | null; p99: number | null } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => {
    const value = percentile(sorted, p);
    return value === null ? null : round(value, 1);
  };
  return { p50: at(0.5), p99: at(0.99) };
}
