/**
 * The burst scenario of issue 20, through the whole service as `npm start` composes it (embedded
 * PGlite store, embedded development AS, Bolt over HTTP) against the fake Slack Web API: N signed
 * `/elevate` commands from N people sent within T ms in B bursts, while G grants, each holding a
 * real token from the embedded AS, end spread over the burst, and the sweeper runs on `schedule`.
 * Returns the time to the last reviewer post, the p50/p99 of request → reviewer post (from each
 * command's send to its `chat.postMessage` in the reviewer channel), and the revocation lag of
 * the grants ending during the burst (confirmed revocation minus end).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newGrant, type Grant } from '../../../src/domain/grant.ts';
import { startService } from '../../../src/main.ts';
import { startFakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { SlackSender } from '../../fakes/slack/slack-sender.ts';
import { aRequest } from '../../support/builders.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { percentile } from '../figures.ts';
import { benchExchange, REVIEWERS, slackEnvFor, writeBenchConfig } from './slack-world.ts';

export interface BurstOptions {
  requests: number;
  withinMs: number;
  bursts: number;
  grants: number;
  schedule: string;
  log: (line: string) => void;
}

const DEADLINE_MS = 300_000;

export async function runBurst(options: BurstOptions) {
  const { requests: N, withinMs, bursts, grants: G, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'elevate-flow-bench-'));
  const people = Array.from({ length: N }, (_, i) => `p${i}`);
  const config = writeBenchConfig(dir, people);
  const fake = await startFakeSlack();
  fake.addChannel(REVIEWERS);
  const logs = new LogCapture();
  const service = await startService(
    { ...(await loopbackServiceEnv(dir)), ...slackEnvFor(fake), ELEVATE_CONFIG: config, SWEEP_SCHEDULE: options.schedule, LOG_LEVEL: 'info' },
    { logDestination: logs },
  );
  const { store, issuer, cipher } = service.deps;

  // G grants with real tokens, ending spread over the burst (stored with a far end first, so the
  // time spent minting and inserting does not count).
  const startsAt = new Date(Date.now() - 60_000);
  const farEnd = new Date(Date.now() + 3_600_000);
  const grantIds = Array.from({ length: G }, (_, i) => `bench-g${i}`);
  for (const [i, id] of grantIds.entries()) {
    const { accessToken } = await issuer.exchange({ ...benchExchange(id), requester: { id: 'holder', kind: 'human' }, windowEndsAt: farEnd });
    await store.transaction(async (tx) => {
      await tx.insertRequest(aRequest({ id: `bench-r${i}`, requesterId: 'holder', status: 'approved', createdAt: startsAt, pendingUntil: startsAt, decidedAt: startsAt }));
      const grant: Grant = { ...newGrant({ id, requestId: `bench-r${i}`, startsAt, durationSec: 3600 }), status: 'active', issuedAt: startsAt, endsAt: farEnd };
      await tx.insertGrant({ ...grant, tokenSealed: cipher.seal(accessToken, id) });
    });
  }
  const sender = new SlackSender(`${service.url}/slack/events`);
  const t0 = Date.now() + 1_000;
  await store.transaction(async (tx) => {
    for (const [i, id] of grantIds.entries()) await tx.updateGrants([id], 'active', { endsAt: new Date(t0 + Math.round(((i + 0.5) / G) * withinMs)) });
  });
  log(`${G} grants with real tokens end between +0 and +${withinMs} ms of the burst; sending ${N} commands in ${bursts} burst(s) within ${withinMs} ms`);

  // The burst: B bursts evenly spaced over T ms, each sending its share at once.
  const sentAt = new Map<number, number>();
  const statuses = new Map<number, number>();
  await new Promise((resolve) => setTimeout(resolve, t0 - Date.now()));
  const perBurst = Math.ceil(N / bursts);
  await Promise.all(
    Array.from({ length: bursts }, async (_, b) => {
      await new Promise((resolve) => setTimeout(resolve, bursts === 1 ? 0 : Math.round((b / (bursts - 1)) * withinMs)));
      await Promise.all(
        people.slice(b * perBurst, (b + 1) * perBurst).map(async (p, k) => {
          const i = b * perBurst + k;
          sentAt.set(i, Date.now());
          const sent = await sender.command({ userId: `U${p.toUpperCase()}`, text: `prod-db-admin 1h BENCH-${i} burst`, responseUrl: fake.responseUrl(), triggerId: fake.triggerId() });
          statuses.set(i, sent.status);
        }),
      );
    }),
  );
  const ackedAt = Date.now();

  const postedAt = () => {
    const at = new Map<number, number>();
    for (const call of fake.callsTo('chat.postMessage')) {
      if (call.args.channel !== REVIEWERS || call.outcome !== 'ok') continue;
      const i = Number(/BENCH-(\d+) burst/.exec(String(call.args.blocks ?? call.args.text))?.[1]);
      if (Number.isInteger(i) && !at.has(i)) at.set(i, call.at);
    }
    return at;
  };
  const revoked = async () => (await Promise.all(grantIds.map((id) => store.getGrant(id)))).filter((g) => g?.revocationLagMs !== null && g?.revocationLagMs !== undefined);
  while (Date.now() - t0 < DEADLINE_MS && (postedAt().size < N || (await revoked()).length < G)) await new Promise((resolve) => setTimeout(resolve, 200));

  const posts = postedAt();
  const latencies = [...posts].map(([i, at]) => at - sentAt.get(i)!).sort((a, b) => a - b);
  const lags = (await revoked()).map((g) => g!.revocationLagMs!).sort((a, b) => a - b);
  const refused = [...statuses.values()].filter((s) => s !== 200).length;
  const busy = fake.responses.filter((r) => /handling a burst/.test(String(r.body.text))).length;
  const overlaps = logs.lines.filter((line) => /overlap/.test(line)).length;
  const result = {
    requests: N,
    withinMs,
    bursts,
    acknowledgedAllMs: ackedAt - t0,
    refusedHttp: refused,
    posted: posts.size,
    lastReviewerPostMs: posts.size > 0 ? Math.max(...posts.values()) - t0 : null,
    postLatencyP50Ms: percentile(latencies, 0.5),
    postLatencyP99Ms: percentile(latencies, 0.99),
    grantsEndingDuringBurst: G,
    revoked: lags.length,
    revocationLagP50Ms: percentile(lags, 0.5),
    revocationLagMaxMs: lags.at(-1) ?? null,
    sweepOverlapsLogged: overlaps,
    busyAnswers: busy,
  };
  log(`acknowledged all ${N} in ${result.acknowledgedAllMs} ms (${refused} refused); ${posts.size} reviewer posts, the last at +${result.lastReviewerPostMs} ms`);
  log(`request → reviewer post: p50 ${result.postLatencyP50Ms} ms, p99 ${result.postLatencyP99Ms} ms`);
  log(`revocation lag of the ${G} grants ending during the burst: ${lags.length} revoked, p50 ${result.revocationLagP50Ms} ms, max ${result.revocationLagMaxMs} ms; sweep overlaps logged: ${overlaps}`);
  await service.stop();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

