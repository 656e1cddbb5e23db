/**
 * Throughput of whole cycles: `requesters` people at once, each `cycles` times in a row, send
 * `/elevate`, wait for the approval message, have bob approve it, wait for the direct message
 * that delivers the grant, click "I'm done", and wait for the message that the grant ended and its
 * token was revoked. Every step goes through Bolt over HTTP to the fake Slack Web API, with one or
 * two Elevate instances (each its own process, as `npm start` composes it) on one database, the
 * Slack requests shared between them in turn as a load balancer would, and one development AS in
 * its own process that both use. PGlite is one process's database, so two instances run only on
 * PostgreSQL.
 *
 * `auditRecordsPerCycle` comes from the chain's length before and after; with the chain's own
 * rate under contention (audit-appends.ts) it says how many cycles a second the chain allows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startFakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender } from '../../fakes/slack/slack-sender.ts';
import { freePort } from '../../support/free-port.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { createThrowawayDatabase } from '../../support/postgres.ts';
import { spawnBenchChild } from '../child-process.ts';
import { percentile, round } from '../figures.ts';
import { botKeysIn, startServiceInstance, type ServiceInstance } from './instances.ts';
import { APPROVER, BENCH_SCOPE, CallWaiter, dmChannelOf, REVIEWERS, slackEnvFor, slackUserOf, writeBenchConfig } from './slack-world.ts';

export interface ThroughputFigures {
  instances: number;
  requesters: number;
  cycles: number;
  cyclesPerSec: number;
  cycleP50Ms: number | null;
  cycleP99Ms: number | null;
  auditRecordsPerCycle: number;
  /** Processor time of the instances and of the AS per cycle (Linux). */
  serviceCpuMsPerCycle: number;
  asCpuMsPerCycle: number;
}

export async function runThroughput(options: { databaseUrl: string | null; instances: 1 | 2; requesters: number; cyclesEach: number; log: (line: string) => void }): Promise<ThroughputFigures> {
  const { requesters, cyclesEach, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'elevate-flow-cycles-'));
  const people = Array.from({ length: requesters }, (_, i) => `r${i}`);
  const warmPeople = ['w0', 'w1'];
  const config = writeBenchConfig(dir, [...people, ...warmPeople]);
  const fake = await startFakeSlack();
  fake.addChannel(REVIEWERS);
  const keys = await botKeysIn(dir);
  const base = await loopbackServiceEnv(dir);
  const as = await spawnBenchChild<{ issuer: string }>(new URL('../../fakes/oauth/dev-authorization-server-process.ts', import.meta.url), {
    BOT_PUBLIC_JWKS: JSON.stringify(keys.publicJwks()),
    CLIENT_ID: 'elevate',
    BOT_ASSERTION_ISSUER: base.ELEVATE_PUBLIC_URL!,
  });
  const database = options.databaseUrl ? await createThrowawayDatabase(options.databaseUrl) : null;
  const env = { ...base, ...slackEnvFor(fake), ELEVATE_CONFIG: config, LOG_LEVEL: 'error', OAUTH_ISSUER: as.ready.issuer, OAUTH_CLIENT_ID: 'elevate', ...(database ? { DATABASE_URL: database.url } : {}) };
  const instances: ServiceInstance[] = [];
  try {
    // One after another: the second finds the schema migrated and the configuration applied. Both
    // have the same public URL, as behind a load balancer, and share the data directory's keys.
    instances.push(await startServiceInstance(env));
    if (options.instances === 2) instances.push(await startServiceInstance({ ...env, PORT: String(await freePort()) }));
    const senders = instances.map((instance) => new SlackSender(instance.eventsUrl));
    let turn = 0;
    const next = () => senders[turn++ % senders.length]!;
    const waiter = new CallWaiter(fake);

    const cycle = async (person: string, marker: string): Promise<number> => {
      const started = Date.now();
      const sent = await next().command({ userId: slackUserOf(person), text: `${BENCH_SCOPE.name} 1h ${marker} cycle`, responseUrl: fake.responseUrl(), triggerId: fake.triggerId() });
      if (sent.status !== 200 || sent.body.includes('handling a burst')) throw new Error(`/elevate answered ${sent.status} ${sent.body.slice(0, 200)}`);
      const { requestId } = await waiter.reviewerPost(marker);
      await click(next(), APPROVER, ACTIONS.approve, requestId, REVIEWERS);
      const { grantId } = await waiter.grantIssuedDm(person, requestId);
      await click(next(), person, ACTIONS.endGrant, grantId, dmChannelOf(person));
      await waiter.grantEndedDm(person, requestId);
      return Date.now() - started;
    };
    const click = async (sender: SlackSender, person: string, actionId: string, value: string, channelId: string) => {
      const sent = await sender.interaction(buttonClick({ userId: slackUserOf(person), actionId, value, channelId, triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
      if (sent.status !== 200) throw new Error(`${actionId} answered ${sent.status}`);
    };

    // Warm-up, untimed: a cycle through each instance.
    for (const [i, person] of warmPeople.entries()) await cycle(person, `BENCH-warm-${i}-END`);
    const cpuBefore = await cpuOf(instances, as);
    const started = Date.now();
    const durations = (
      await Promise.all(
        people.map(async (person) => {
          const mine: number[] = [];
          for (let k = 0; k < cyclesEach; k += 1) mine.push(await cycle(person, `BENCH-${person}-${k}-END`));
          return mine;
        }),
      )
    )
      .flat()
      .sort((a, b) => a - b);
    const elapsedMs = Date.now() - started;
    const cpuAfter = await cpuOf(instances, as);
    const cycles = durations.length;
    const auditAtStart = Math.max(...instances.map((instance) => instance.auditSeqAtStart));
    const auditAtEnd = Math.max(...(await Promise.all(instances.splice(0).map((instance) => instance.stop()))));
    const figures: ThroughputFigures = {
      instances: options.instances,
      requesters,
      cycles,
      cyclesPerSec: round(cycles / (elapsedMs / 1000), 2),
      cycleP50Ms: percentile(durations, 0.5),
      cycleP99Ms: percentile(durations, 0.99),
      auditRecordsPerCycle: round((auditAtEnd - auditAtStart) / (cycles + warmPeople.length), 1),
      serviceCpuMsPerCycle: round((cpuAfter.services - cpuBefore.services) / cycles),
      asCpuMsPerCycle: round((cpuAfter.as - cpuBefore.as) / cycles),
    };
    log(
      `cycles on ${database ? 'PostgreSQL' : 'PGlite'}, ${options.instances} instance(s), ${requesters} requesters × ${cyclesEach}: ${figures.cyclesPerSec}/s, cycle p50 ${figures.cycleP50Ms} ms, p99 ${figures.cycleP99Ms} ms; ${figures.auditRecordsPerCycle} audit records per cycle; CPU per cycle: instances ${figures.serviceCpuMsPerCycle} ms, AS ${figures.asCpuMsPerCycle} ms`,
    );
    return figures;
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await as.close();
    await database?.drop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cpuOf(instances: readonly ServiceInstance[], as: { cpuMs(): Promise<number> }): Promise<{ services: number; as: number }> {
  const each = await Promise.all(instances.map((instance) => instance.cpuMs()));
  return { services: each.reduce((sum, ms) => sum + ms, 0), as: await as.cpuMs() };
}
