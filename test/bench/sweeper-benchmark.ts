/**
 * npm run bench:sweeper -- --grants N [--runs K] [--concurrency C] [--batch B] [--schedule "<cron>"]
 *
 * Creates N grants that end at the same instant, each holding a real token minted by the
 * embedded development AS, lets the scheduled sweeper revoke them, and prints figures. The last
 * line is one JSON object. `asRevokePerSec` is the same AS's revocation endpoint driven directly
 * in the same run, so `ratio` says how much of the AS's capacity the sweeper achieves.
 *
 * The targets isolate the sweeper from the machine it shares with the AS. In the same run, N more
 * grants are revoked by the same sweeper and store against an RFC 7009 stand-in in its own
 * process that answers 200 at once (client authentication still signed and sent):
 * `sweeperOnlyPerSec`. Then `headroom = sweeperOnlyPerSec / asRevokePerSec`, target ≥ 2 (the
 * sweeper is never what limits revocation), and `lagBoundMs = 1000 × N / asRevokePerSec + the
 * sweep interval` (what the AS itself allows), target `lagP99Ms ≤ lagBoundMs + 1000`. `lost` must
 * be 0 in every run; at --grants 100000, `rssMb` ≤ 300. The `targets` object says which hold.
 * With --runs K (default 1) the whole measurement is repeated K times against the same AS and
 * store, each run's figures are printed, and the last line holds the median of each figure
 * (`lost` added up, `revoked` the fewest, `rssMb` the largest): on a small shared machine one
 * run's figures move by a fifth or more, more than most changes being measured.
 * With BENCH_DATABASE_URL (PostgreSQL), a throwaway database is used instead of in-memory PGlite.
 *
 * `rssMb` is this process's largest resident memory while the sweeper works. `npm run
 * bench:sweeper` runs it with V8's old generation capped at 128 MB (`--max-old-space-size=128`):
 * the sweeper's live heap stays under about 60 MB, but without a cap V8 lets the heap of a
 * process that allocates this fast grow to three or four times its live size before collecting
 * (370–400 MB of RSS at 10000–30000 grants, for the same throughput). The header line prints the
 * limit in force. The minted tokens are stored as they come and the figures read 1000 grants at a
 * time, so the harness itself holds little beyond a 200-token sample.
 * BENCH_AS_EXEC_ARGV adds Node options to the AS process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/as".
 * BENCH_CPU_PROFILE=<file> writes a CPU profile of this process during the sweep only (open it in
 * Chrome DevTools or any .cpuprofile viewer); BENCH_CPU_PROFILE_ALONE=<file>, during the sweep
 * against the stand-in.
 *
 * The CPU line says how much processor time each revocation cost this process (sweeper and
 * store, split into its main thread and the rest) and the AS: on a machine with few cores the two
 * compete, so a lower figure on either side is a higher rate. On PostgreSQL running on this
 * machine, its processes' share is counted too. The busy line says how much of a core each side
 * used while the sweeper worked, and how many of the machine's cores they used together: an AS
 * near 100% is what bounded the rate, and sides adding up to nearly every core mean the machine
 * did. The direct lines say how busy the AS was when nothing else ran: above 100%, it needs more
 * than one core for its full rate, and anything that runs beside it slows it. The machine line is
 * the kernel's count for the whole machine over the same time (Linux): cores idle while the sweep
 * worked, and CPU the hypervisor took for other machines (steal), which makes a run slow for
 * reasons outside this code.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { AesGcmTokenCipher } from '../../src/adapters/crypto/aes-gcm-token-cipher.ts';
import { createTokenIssuer } from '../../src/adapters/oauth/index.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { runWithConcurrency } from '../../src/shared/run-with-concurrency.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce, type SweepReport } from '../../src/app/sweep.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { newGrant, type Grant } from '../../src/domain/grant.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { LifecycleNotifier } from '../../src/ports/lifecycle-notifier.ts';
import type { TokenIssuer } from '../../src/ports/token-issuer.ts';
import { DEFAULT_SWEEP_SCHEDULE, startSweeper } from '../../src/scheduler/sweeper.ts';
import { cpuMsFromProc, spawnBenchChild } from './child-process.ts';
import { median, percentile, round, wholeOption } from './figures.ts';
import { exchangeInput, oauthConfigFor } from '../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer } from '../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../fakes/oauth/test-bot-keys.ts';
import { aPrincipal, aRequest, aScope } from '../support/builders.ts';
import { sequentialIds } from '../support/core-harness.ts';
import { createThrowawayDatabase } from '../support/postgres.ts';

const { values: args } = parseArgs({
  options: {
    grants: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: String(DEFAULT_SWEEP_OPTIONS.concurrency) },
    batch: { type: 'string', default: String(DEFAULT_SWEEP_OPTIONS.batchSize) },
    schedule: { type: 'string', default: DEFAULT_SWEEP_SCHEDULE },
    'in-process-as': { type: 'boolean', default: false },
  },
});
const N = positive('grants');
const runs = positive('runs');
const concurrency = positive('concurrency');
const batchSize = positive('batch');
const log = (line: string) => process.stdout.write(`${line}\n`);

const { keys } = await generateBotKeys();
const as = args['in-process-as']
  ? { ...(await serveDevAuthorizationServer({ keys, clientId: 'elevate', auth: { method: 'private_key_jwt' }, maxTokenTtlSec: 3600 })), cpuMs: async () => Number.NaN }
  : await spawnDevAuthorizationServer(keys);
const issuer = await createTokenIssuer(oauthConfigFor({ issuer: as.issuer, publicUrl: as.origin, clientId: 'elevate' }), { logger: silentLogger(), clock: systemClock, keys });
const instant = await spawnChild('../fakes/oauth/instant-revocation-process.ts', {});
const instantIssuer = await createTokenIssuer(oauthConfigFor({ issuer: instant.issuer, publicUrl: instant.origin, clientId: 'elevate' }), { logger: silentLogger(), clock: systemClock, keys });
const intervalMs = sweepIntervalMs(args.schedule!);
const database = process.env.BENCH_DATABASE_URL ? await createThrowawayDatabase(process.env.BENCH_DATABASE_URL) : null;
const { store, kind } = await openStore(database ? { databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger() } : { inMemory: true, dataDir: '/nonexistent', logger: silentLogger() });
const cipher = new AesGcmTokenCipher([Buffer.alloc(32, 5)]);
log(
  `sweeper benchmark: ${N} grants, store ${kind}, AS ${as.issuer} (${args['in-process-as'] ? 'in this process' : 'own process'}), concurrency ${concurrency}, batch ${batchSize}, schedule "${args.schedule}", V8 heap limit ${mb(getHeapStatistics().heap_size_limit)} MB`,
);

type Figures = Awaited<ReturnType<typeof measure>>;
try {
  const results: Figures[] = [];
  for (let run = 1; run <= runs; run += 1) {
    if (runs > 1) log(`run ${run} of ${runs}`);
    results.push(await measure(`${run}`));
    if (runs > 1) log(`run ${run}: ${JSON.stringify(results.at(-1))}`);
  }
  const summary = runs === 1 ? results[0]! : summarise(results);
  for (const [target, holds] of Object.entries(summary.targets)) log(`target ${target}: ${holds ? 'holds' : 'does NOT hold'}`);
  log(JSON.stringify(summary));
} finally {
  await store.close();
  await as.close();
  await instant.close();
  await database?.drop();
}

/** One whole measurement; grant and request ids carry `run` so runs share one store. */
async function measure(run: string) {
  // 1. The AS's own revocation rate, measured directly on tokens minted for the purpose.
  // Half of the sample before the sweep and half after it, so a machine that gets busier or
  // quieter during the run does not tilt the ratio one way; a few hundred revocations first,
  // untimed, so the AS's revocation path is warm (JIT-compiled) when the timing starts.
  const directSample = 2 * Math.ceil(Math.min(N, 4000) / 2);
  const warmUp = 300;
  const directTokens = await mintTokens(issuer, warmUp + directSample, concurrency);
  // The AS's busy share says whether it uses more than one core when nothing else runs (its
  // signature checks run on libuv's threads): then whatever takes a core beside it slows it.
  const timeDirect = async (tokensToRevoke: string[]) => {
    const asCpuAtStart = await as.cpuMs();
    const started = performance.now();
    await runWithConcurrency(tokensToRevoke, concurrency, (token) => issuer.revoke(token));
    const ms = performance.now() - started;
    const busy = ((await as.cpuMs()) - asCpuAtStart) / ms;
    return { ms, said: `${tokensToRevoke.length} tokens at ${(tokensToRevoke.length / (ms / 1000)).toFixed(0)}/s${Number.isNaN(busy) ? '' : `, the AS busy ${percent(busy)} of one core`}` };
  };
  await timeDirect(directTokens.slice(0, warmUp));
  const directHalves = [directTokens.slice(warmUp, warmUp + directSample / 2), directTokens.slice(warmUp + directSample / 2)];
  const firstHalf = await timeDirect(directHalves[0]!);
  let directMs = firstHalf.ms;
  log(`AS revocation endpoint, driven directly: ${firstHalf.said}`);

  // 2. N grants with real tokens, all ending at the same instant. Minted and stored 500 at a time,
  // so this process never holds every token (at 100000 grants they alone took ~100 MB, which
  // `rssMb` then counted as the sweeper's); it keeps only the sample checked at the AS afterwards.
  const mintStart = performance.now();
  await store.transaction(async (tx) => {
    await tx.putPrincipal(aPrincipal({ id: 'alice' }));
    await tx.putScope(aScope());
  });
  // Stored with a far end first, then all moved to one instant a few seconds ahead, so the time
  // spent inserting does not count as revocation lag.
  const startsAt = new Date(Date.now() - 60_000);
  const farEnd = new Date(Date.now() + 3_600_000);
  const sampleEvery = Math.max(1, Math.floor(N / 200));
  const sample: string[] = [];
  for (let start = 0; start < N; start += 500) {
    const end = Math.min(N, start + 500);
    const tokens = await mintTokens(issuer, end - start, concurrency, start);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i += 1) {
        await tx.insertRequest(aRequest({ id: `r${run}-${i}`, status: 'approved', createdAt: startsAt, pendingUntil: startsAt, decidedAt: startsAt }));
        const grant: Grant = { ...newGrant({ id: `g${run}-${i}`, requestId: `r${run}-${i}`, startsAt, durationSec: 3600 }), status: 'active', issuedAt: startsAt, endsAt: farEnd };
        await tx.insertGrant({ ...grant, tokenSealed: cipher.seal(tokens[i - start]!, grant.id) });
        if (i % sampleEvery === 0) sample.push(tokens[i - start]!);
      }
    });
  }
  log(`minted ${N} tokens by token exchange and stored them in ${((performance.now() - mintStart) / 1000).toFixed(1)} s`);
  // Six seconds ahead: longer than the default schedule's interval, so a scheduled run sees the
  // coming end first, as it would for grants issued minutes or hours earlier.
  const endsAt = new Date(Date.now() + 6_000);
  const ids = Array.from({ length: N }, (_, i) => `g${run}-${i}`);
  await store.transaction(async (tx) => {
    for (let start = 0; start < N; start += 1000) await tx.updateGrants(ids.slice(start, start + 1000), 'active', { endsAt });
  });
  log(`stored ${N} active grants ending at ${endsAt.toISOString()}`);

  // 3. The scheduled sweeper does the rest.
  const reports: { at: number; report: SweepReport }[] = [];
  const deps = { store, clock: systemClock, ids: sequentialIds(), logger: silentLogger(), issuer, cipher, notifier: silentNotifier() };
  const options = { ...DEFAULT_SWEEP_OPTIONS, concurrency, batchSize };
  const memory = watchMemory();
  let firstWorkAt: number | null = null;
  const machine: { atFirstWork: MachineCpu | null; atLastWork: MachineCpu | null } = { atFirstWork: null, atLastWork: null };
  const profiler = process.env.BENCH_CPU_PROFILE ? await startProfiler() : null;
  const postgresCpuBefore = database ? await postgresCpuMsByPid() : null; // before this process's own reading: scanning /proc is not the sweep's work
  const cpuBefore = process.cpuUsage();
  const mainThreadCpuBefore = await mainThreadCpuMs();
  const asCpuBefore = await as.cpuMs();
  const sweeper = startSweeper({
    schedule: args.schedule!,
    logger: silentLogger(),
    sweep: async () => {
      const startedAt = Date.now();
      const machineAtStart = machineCpu();
      const report = await sweepOnce(deps, options);
      if (report.revoked > 0) {
        firstWorkAt ??= startedAt;
        machine.atFirstWork ??= machineAtStart;
        machine.atLastWork = machineCpu();
      }
      reports.push({ at: Date.now(), report });
      return report;
    },
  });
  // Done when the runs have revoked every grant; the store is asked only once a second (each
  // question scans the due grants, and this process's CPU is what the CPU line measures), and
  // only to notice grants that are stuck, which the runs' reports would never count.
  const deadline = Date.now() + 30 * 60_000;
  const revokedSoFar = () => reports.reduce((sum, r) => sum + r.report.revoked, 0);
  for (let tick = 1; revokedSoFar() < N && Date.now() < deadline; tick += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (tick % 20 === 0 && (await store.listGrants({ statuses: ['active', 'revoking'], limit: 1 })).length === 0) break;
  }
  await sweeper.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const mainThreadMs = (await mainThreadCpuMs()) - mainThreadCpuBefore;
  await profiler?.stopAndWrite(process.env.BENCH_CPU_PROFILE!);
  const asCpuMs = (await as.cpuMs()) - asCpuBefore;
  const postgresMs = postgresCpuBefore ? cpuMsSince(postgresCpuBefore, await postgresCpuMsByPid()) : Number.NaN;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const lastWorkAt = Math.max(...reports.filter((r) => r.report.revoked > 0).map((r) => r.at));
  const perGrant = (ms: number) => `${(ms / N).toFixed(3)} ms`;
  const threads = Number.isNaN(mainThreadMs) ? '' : ` (main thread ${perGrant(mainThreadMs)}, its other threads ${perGrant(cpuMs - mainThreadMs)}: ${kind === 'pglite' ? "the embedded database's thread and V8's helpers" : "V8's helpers"})`;
  // PostgreSQL's processes are counted only where they run on this machine (a remote server has none here).
  const postgresIsLocal = postgresMs > 0;
  const postgres = postgresIsLocal ? `, PostgreSQL's processes on this machine ${perGrant(postgresMs)}` : '';
  log(`CPU during the sweep: this process ${perGrant(cpuMs)} per grant${threads}${postgres}${Number.isNaN(asCpuMs) ? ' (the AS included)' : `, the AS ${perGrant(asCpuMs)} per grant`}`);
  // Of one core, over the sweep's work: an AS near 100% is what bounds the rate; a machine whose
  // sides add up to well under its cores was waiting, not working, and one whose sides add up to
  // nearly all of them had no core to spare for either.
  const workMs = firstWorkAt === null ? Number.NaN : lastWorkAt - firstWorkAt;
  if (!Number.isNaN(asCpuMs) && workMs > 0) {
    const sides = [`the AS ${percent(asCpuMs / workMs)}`, `this process ${percent(cpuMs / workMs)}`, ...(postgresIsLocal ? [`PostgreSQL ${percent(postgresMs / workMs)}`] : [])];
    const cores = (asCpuMs + cpuMs + (postgresIsLocal ? postgresMs : 0)) / workMs;
    log(`busy during the work, of one core: ${sides.join(', ')}; ${cores.toFixed(2)} of the machine's ${availableParallelism()} cores in all`);
  }
  // The whole machine over the same sweeps, as the kernel counts it: cores left idle mean the work
  // waited rather than lacked CPU; steal is CPU the hypervisor gave to other machines, which makes
  // one run slower than the next for reasons outside this code.
  const { atFirstWork, atLastWork } = machine;
  if (atFirstWork && atLastWork && atLastWork.wallMs > atFirstWork.wallMs) {
    const wallMs = atLastWork.wallMs - atFirstWork.wallMs;
    const cores = (field: keyof Omit<MachineCpu, 'wallMs'>) => ((atLastWork[field] - atFirstWork[field]) / wallMs).toFixed(2);
    log(`the machine during the work, in cores (/proc/stat): ${cores('busyMs')} busy, ${cores('idleMs')} idle, ${cores('stealMs')} taken by the hypervisor (steal)`);
  }

  const secondHalf = await timeDirect(directHalves[1]!);
  log(`AS revocation endpoint, driven directly again: ${secondHalf.said}`);
  directMs += secondHalf.ms;
  const asRevokePerSec = directSample / (directMs / 1000);

  // 4. Figures.
  const lags = await revocationLags(`r${run}-`);
  const stillActive = (await Promise.all(sample.map((t) => issuer.introspect(t)))).filter((i) => i.active).length;
  const revoked = lags.length;
  const revokedPerSec = firstWorkAt === null ? 0 : revoked / ((lastWorkAt - firstWorkAt) / 1000);
  log(`sweeper revoked ${revoked}/${N} in ${((lastWorkAt - (firstWorkAt ?? lastWorkAt)) / 1000).toFixed(1)} s of work over ${reports.length} sweep(s); ${stillActive} of ${sample.length} sampled tokens still active at the AS`);

  // 5. The same sweeper and store against an AS that costs nothing: what the sweeper itself can do.
  const alone = await sweepAgainstInstantAs(run);
  log(`sweeper alone (an RFC 7009 stand-in answering at once, own process): revoked ${alone.revoked}/${N} at ${alone.perSec.toFixed(0)}/s; ${alone.cpu}`);
  const peak = memory.stop();
  log(`memory of this process while the sweeper worked: RSS at most ${mb(peak.rss)} MB (V8 heap ${mb(peak.heapUsed)} MB used of ${mb(peak.heapTotal)} MB, outside it ${mb(peak.external)} MB)${kind === 'pglite' ? ", the embedded database's memory included" : ''}`);
  const lagP99Ms = percentile(lags, 0.99);
  const lagBoundMs = round((1000 * N) / asRevokePerSec + intervalMs, 0);
  const headroom = round(alone.perSec / asRevokePerSec, 2);
  const rssMb = round(peak.rss / 1024 / 1024);
  const lost = N - revoked + stillActive + (N - alone.revoked);
  return {
    grants: N,
    revoked,
    lost,
    revokedPerSec: round(revokedPerSec),
    asRevokePerSec: round(asRevokePerSec),
    ratio: round(revokedPerSec / asRevokePerSec, 3),
    sweeperOnlyPerSec: round(alone.perSec),
    headroom,
    lagP50Ms: percentile(lags, 0.5),
    lagP99Ms,
    lagBoundMs,
    rssMb,
    targets: targetsOf({ lost, headroom, lagP99Ms, lagBoundMs, rssMb }),
  };
}

/** Which of the sweeper's targets hold for one run's (or the medians') figures. */
function targetsOf(f: { lost: number; headroom: number; lagP99Ms: number | null; lagBoundMs: number; rssMb: number }) {
  return {
    lostZero: f.lost === 0,
    headroomAtLeast2: f.headroom >= 2,
    lagWithinBoundPlus1s: f.lagP99Ms !== null && f.lagP99Ms <= f.lagBoundMs + 1000,
    ...(N >= 100_000 ? { rssAtMost300Mb: f.rssMb <= 300 } : {}),
  };
}

/**
 * N grants whose tokens the stand-in accepts, ending together, revoked by the scheduled sweeper
 * with the same options and store as the real run: the sweeper's own rate.
 */
async function sweepAgainstInstantAs(run: string): Promise<{ revoked: number; perSec: number; cpu: string }> {
  const startsAt = new Date(Date.now() - 60_000);
  const farEnd = new Date(Date.now() + 3_600_000);
  for (let start = 0; start < N; start += 500) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(N, start + 500); i += 1) {
        await tx.insertRequest(aRequest({ id: `s${run}-${i}`, status: 'approved', createdAt: startsAt, pendingUntil: startsAt, decidedAt: startsAt }));
        const grant: Grant = { ...newGrant({ id: `h${run}-${i}`, requestId: `s${run}-${i}`, startsAt, durationSec: 3600 }), status: 'active', issuedAt: startsAt, endsAt: farEnd };
        await tx.insertGrant({ ...grant, tokenSealed: cipher.seal(`instant-${run}-${i}-${Math.random().toString(36).slice(2)}`, grant.id) });
      }
    });
  }
  const endsAt = new Date(Date.now() + 2 * intervalMs + 1000);
  const ids = Array.from({ length: N }, (_, i) => `h${run}-${i}`);
  await store.transaction(async (tx) => {
    for (let start = 0; start < N; start += 1000) await tx.updateGrants(ids.slice(start, start + 1000), 'active', { endsAt });
  });
  const deps = { store, clock: systemClock, ids: sequentialIds(), logger: silentLogger(), issuer: instantIssuer, cipher, notifier: silentNotifier() };
  const options = { ...DEFAULT_SWEEP_OPTIONS, concurrency, batchSize };
  const worked: { startedAt: number; endedAt: number; revoked: number }[] = [];
  const profiler = process.env.BENCH_CPU_PROFILE_ALONE ? await startProfiler() : null;
  const cpuBefore = process.cpuUsage();
  const mainThreadCpuBefore = await mainThreadCpuMs();
  const standInCpuBefore = await instant.cpuMs();
  const sweeper = startSweeper({
    schedule: args.schedule!,
    logger: silentLogger(),
    sweep: async () => {
      const startedAt = Date.now();
      const report = await sweepOnce(deps, options);
      if (report.revoked > 0) worked.push({ startedAt, endedAt: Date.now(), revoked: report.revoked });
      return report;
    },
  });
  const deadline = Date.now() + 30 * 60_000;
  const total = () => worked.reduce((sum, w) => sum + w.revoked, 0);
  while (total() < N && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await sweeper.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const mainThreadMs = (await mainThreadCpuMs()) - mainThreadCpuBefore;
  const standInMs = (await instant.cpuMs()) - standInCpuBefore;
  await profiler?.stopAndWrite(process.env.BENCH_CPU_PROFILE_ALONE!);
  const perGrant = (ms: number) => `${(ms / N).toFixed(3)} ms`;
  const revoked = (await revocationLags(`s${run}-`)).length;
  const workMs = worked.length === 0 ? Number.NaN : worked.at(-1)!.endedAt - worked[0]!.startedAt;
  const said = `CPU per grant: this process ${perGrant(cpuMs)} (main thread ${perGrant(mainThreadMs)}), the stand-in ${perGrant(standInMs)}`;
  return { revoked, perSec: revoked / (workMs / 1000), cpu: said };
}

/**
 * The interval of a node-cron schedule whose seconds (six fields) or minutes (five fields) field
 * is `*` or `*\/N` and the rest `*`; other schedules are refused, since the bound needs it.
 */
function sweepIntervalMs(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  const unitMs = fields.length === 6 ? 1000 : 60_000;
  const step = /^\*(?:\/(\d+))?$/.exec(fields[0] ?? '');
  if (!step || fields.slice(1).some((field) => field !== '*')) {
    process.stderr.write(`--schedule "${schedule}": the lag bound needs a schedule like "*/5 * * * * *" (every N seconds) or "*/N * * * *"\n`);
    process.exit(2);
  }
  return Number(step[1] ?? 1) * unitMs;
}

/** The median of each figure over the runs; losses added up, the fewest revoked, the most memory. */
function summarise(results: readonly Figures[]): Figures & { runs: number } {
  const lagP99Ms = medianOf(results, (r) => r.lagP99Ms);
  const lagBoundMs = medianOf(results, (r) => r.lagBoundMs);
  const headroom = medianOf(results, (r) => r.headroom);
  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  const rssMb = Math.max(...results.map((r) => r.rssMb));
  const median = (pick: (figures: Figures) => number | null) => medianOf(results, pick);
  return {
    grants: N,
    runs: results.length,
    revoked: Math.min(...results.map((r) => r.revoked)),
    lost,
    revokedPerSec: median((r) => r.revokedPerSec),
    asRevokePerSec: median((r) => r.asRevokePerSec),
    ratio: median((r) => r.ratio),
    sweeperOnlyPerSec: median((r) => r.sweeperOnlyPerSec),
    headroom,
    lagP50Ms: median((r) => r.lagP50Ms),
    lagP99Ms,
    lagBoundMs,
    rssMb,
    targets: targetsOf({ lost, headroom, lagP99Ms, lagBoundMs, rssMb }),
  };
}

function medianOf(results: readonly Figures[], pick: (figures: Figures) => number | null): number {
  return median(results.map(pick));
}

/** Starts the development AS in a child process and waits for the line that says where it listens. */
function spawnDevAuthorizationServer(botKeys: Awaited<ReturnType<typeof generateBotKeys>>['keys']): Promise<{ issuer: string; origin: string; cpuMs(): Promise<number>; close(): Promise<void> }> {
  return spawnChild('../fakes/oauth/dev-authorization-server-process.ts', { BOT_PUBLIC_JWKS: JSON.stringify(botKeys.publicJwks()), CLIENT_ID: 'elevate' });
}

/** Starts a server script of test/fakes in a child process and waits for its `{issuer, origin}` line. */
async function spawnChild(relativeScript: string, env: Record<string, string>): Promise<{ issuer: string; origin: string; cpuMs(): Promise<number>; close(): Promise<void> }> {
  const child = await spawnBenchChild<{ issuer: string; origin: string }>(new URL(relativeScript, import.meta.url), env, {
    execArgv: process.env.BENCH_AS_EXEC_ARGV ? process.env.BENCH_AS_EXEC_ARGV.split(' ') : [],
  });
  return { ...child.ready, cpuMs: () => child.cpuMs(), close: async () => void (await child.close()) };
}

/** This process's main thread's CPU time: the sweeper and the OAuth client, without the database's thread. */
function mainThreadCpuMs(): Promise<number> {
  return cpuMsFromProc(`/proc/self/task/${process.pid}/stat`);
}

interface MachineCpu {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  stealMs: number;
}

/** The machine's CPU time so far from the first line of /proc/stat (10 ms ticks); null where there is none. */
function machineCpu(): MachineCpu | null {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map((ticks) => Number(ticks) * 10) as number[];
  return { wallMs: performance.now(), busyMs: user! + nice! + system! + irq! + softirq!, idleMs: idle! + iowait!, stealMs: steal! };
}

/** CPU time of every process named `postgres` on this machine, by pid (empty where there is no /proc). */
async function postgresCpuMsByPid(): Promise<Map<number, number>> {
  const pids = (await readdir('/proc').catch(() => [])).filter((entry) => /^\d+$/.test(entry));
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'postgres') continue;
    const ms = await cpuMsFromProc(`/proc/${pid}/stat`);
    if (!Number.isNaN(ms)) byPid.set(Number(pid), ms);
  }
  return byPid;
}

/** CPU used between two readings; a process started in between counts from zero, one that ended is lost. */
function cpuMsSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

async function startProfiler(): Promise<{ stopAndWrite(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stopAndWrite: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function mintTokens(tokenIssuer: TokenIssuer, count: number, parallel: number, firstIndex = 0): Promise<string[]> {
  const out = new Array<string>(count);
  await runWithConcurrency(
    Array.from({ length: count }, (_, i) => i),
    parallel,
    async (i) => {
      out[i] = (await tokenIssuer.exchange(exchangeInput({ grantId: `bench-${firstIndex + i}`, windowEndsAt: new Date(Date.now() + 3_600_000) }))).accessToken;
    },
  );
  return out;
}

function positive(name: 'grants' | 'runs' | 'concurrency' | 'batch'): number {
  return wholeOption(name, args[name]);
}

/**
 * The revocation lag of every revoked grant whose request id starts with `prefix` (one run's),
 * in order, read 1000 grants at a time: never every grant as objects at once, which at 100000
 * grants cost this process more memory than the sweep it measures.
 */
async function revocationLags(prefix: string): Promise<number[]> {
  const lags: number[] = [];
  for (let start = 0; start < N; start += 1000) {
    const requestIds = Array.from({ length: Math.min(N, start + 1000) - start }, (_, i) => `${prefix}${start + i}`);
    for (const grant of await store.listGrants({ requestIds, statuses: ['revoked'] })) lags.push(grant.revocationLagMs ?? 0);
  }
  return lags.sort((a, b) => a - b);
}

/**
 * This process's largest memory use, sampled every 100 ms until stopped (RSS and V8's heap at
 * the moment RSS was largest): a sweep's peak, which a reading at the end would miss.
 */
function watchMemory(): { stop(): NodeJS.MemoryUsage } {
  let peak = process.memoryUsage();
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

/** The sweep's notices go nowhere: what they cost is the chat adapters' business, not the sweeper's. */
function silentNotifier(): LifecycleNotifier {
  const nothing = async () => {};
  return {
    requestExpired: nothing,
    requestReminded: nothing,
    requestEscalated: nothing,
    grantEnded: nothing,
    revocationOverdue: nothing,
    grantIssued: nothing,
    grantIssueFailed: nothing,
    breakGlassReviewOverdue: nothing,
  };
}
