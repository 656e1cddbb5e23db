/**
 * npm run bench:flow -- [--scenario burst,latency,throughput] [--runs K] [--quick] [--database-url URL]
 *   burst:      [--requests N] [--within-ms T] [--bursts B] [--grants G] [--schedule "<cron>"]
 *   latency:    [--commands N] [--approvals A]
 *   throughput: [--requesters R] [--cycles C] [--audit-appends M] [--audit-writers W]
 *
 * The flow benchmark: the whole service driven over HTTP as Slack drives it (signed requests to
 * Bolt) against the fake Slack Web API and a real development AS. Scenarios (all by default):
 * - burst (flow/burst.ts, issue 20): N `/elevate` (600) in B bursts (3) within T ms (8000) while G
 *   grants (10) end; time to the last reviewer post, request → reviewer post p50/p99, revocation lag.
 * - latency (flow/ack-and-issue.ts): P1, the acknowledgement of N commands sent at once (200) beside
 *   a Bolt app that only acknowledges (`ackP99Ratio`, target ≤ 1.5); P2, approve click → token
 *   exchanged, stored and the requester's message sent, for A approvals one at a time (50), beside
 *   the AS's own token exchange driven directly (`issueP50Ratio`, target ≤ 2). On PGlite (`ack`,
 *   `issue`) and, with --database-url or TEST_DATABASE_URL, again on PostgreSQL (`onPostgresql`).
 * - throughput (flow/throughput.ts, flow/audit-appends.ts): request → approve → issue → end cycles
 *   a second with R requesters at once (100), C cycles each (3), on PGlite and, with --database-url
 *   or TEST_DATABASE_URL (any database of a PostgreSQL server; throwaway ones are created beside it),
 *   on PostgreSQL with one and with two instances; and the audit chain's cost per record, M appends
 *   (1000) by W writers at once (100), which bounds the cycles a second the chain allows.
 * --quick: small sizes for every scenario (under a minute), for the smoke test. --runs K repeats
 * every selected scenario K times and the last line holds the median of each figure. The last line
 * is always one JSON object. Figures depend on the machine and on whatever else runs on it.
 * BENCH_SERVICE_EXEC_ARGV adds Node options to the instances of the latency and throughput
 * scenarios, e.g. "--cpu-prof --cpu-prof-dir=/tmp/elevate" to see where an instance's time goes.
 */
import { parseArgs } from 'node:util';
import { runAckAndIssue } from './flow/ack-and-issue.ts';
import { measureAuditAppends } from './flow/audit-appends.ts';
import { runBurst } from './flow/burst.ts';
import { runThroughput } from './flow/throughput.ts';
import { median, round, wholeOption } from './figures.ts';

const SCENARIOS = ['burst', 'latency', 'throughput'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: SCENARIOS.join(',') },
    runs: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    requests: { type: 'string' },
    'within-ms': { type: 'string' },
    bursts: { type: 'string' },
    grants: { type: 'string' },
    schedule: { type: 'string', default: '* * * * * *' },
    commands: { type: 'string' },
    approvals: { type: 'string' },
    requesters: { type: 'string' },
    cycles: { type: 'string' },
    'audit-appends': { type: 'string' },
    'audit-writers': { type: 'string' },
  },
});
const quick = args.quick!;
const size = (name: keyof typeof args, full: number, small: number) => wholeOption(name, String(args[name] ?? (quick ? small : full)));
const scenarios = args.scenario!.split(',').map((s) => s.trim()) as Scenario[];
for (const s of scenarios) {
  if (!SCENARIOS.includes(s)) {
    process.stderr.write(`--scenario: unknown scenario "${s}"; choose from ${SCENARIOS.join(', ')}\n`);
    process.exit(2);
  }
}
const runs = wholeOption('runs', args.runs);
const burst = { requests: size('requests', 600, 60), withinMs: size('within-ms', 8000, 2000), bursts: size('bursts', 3, 3), grants: size('grants', 10, 2), schedule: args.schedule! };
const latency = { commands: size('commands', 200, 30), approvals: size('approvals', 50, 8) };
const throughput = { requesters: size('requesters', 100, 8), cyclesEach: size('cycles', 3, 1), auditAppends: size('audit-appends', 1000, 100), auditWriters: size('audit-writers', 100, 20) };
const databaseUrl = args['database-url'] || process.env.TEST_DATABASE_URL || null;
const log = (line: string) => process.stdout.write(`${line}\n`);

type Figures = Awaited<ReturnType<typeof measure>>;
const results: Figures[] = [];
for (let run = 1; run <= runs; run += 1) {
  if (runs > 1) log(`run ${run} of ${runs}`);
  results.push(await measure());
  if (runs > 1) log(`run ${run}: ${JSON.stringify(results.at(-1))}`);
}
const summary = withTargets(runs === 1 ? results[0]! : (medianOfEach(results) as Figures));
for (const [target, holds] of Object.entries(summary.targets)) log(`target ${target}: ${holds ? 'holds' : 'does NOT hold'}`);
log(JSON.stringify({ runs, quick, scenarios, ...summary }));
process.exit(0);

async function measure() {
  const out: {
    burst?: Awaited<ReturnType<typeof runBurst>>;
    ack?: Awaited<ReturnType<typeof runAckAndIssue>>['ack'];
    issue?: Awaited<ReturnType<typeof runAckAndIssue>>['issue'];
    onPostgresql?: Awaited<ReturnType<typeof runAckAndIssue>>;
    throughput?: Record<string, Record<string, Awaited<ReturnType<typeof runThroughput>>>>;
    auditChain?: Record<string, Awaited<ReturnType<typeof measureAuditAppends>>>;
  } = {};
  if (scenarios.includes('burst')) {
    log(`burst: ${burst.requests} signed /elevate in ${burst.bursts} burst(s) within ${burst.withinMs} ms while ${burst.grants} grants end`);
    out.burst = await runBurst({ ...burst, log });
  }
  if (scenarios.includes('latency')) {
    log(`latency: ${latency.commands} /elevate at once (P1), then ${latency.approvals} approvals one at a time (P2)`);
    Object.assign(out, await runAckAndIssue({ ...latency, databaseUrl: null, log }));
    if (databaseUrl) out.onPostgresql = await runAckAndIssue({ ...latency, databaseUrl, log });
  }
  if (scenarios.includes('throughput')) {
    const stores: [string, string | null][] = [['pglite', null], ...(databaseUrl ? [['postgresql', databaseUrl] as [string, string]] : [])];
    out.throughput = {};
    out.auditChain = {};
    for (const [store, url] of stores) {
      out.auditChain[store] = await measureAuditAppends({ databaseUrl: url, appends: throughput.auditAppends, writers: throughput.auditWriters });
      const chain = out.auditChain[store];
      log(`audit chain on ${store}: ${chain.uncontendedMsPerAppend} ms per append alone; ${chain.writers} writers at once: ${chain.contendedAppendsPerSec} appends/s, so each record holds the chain ${chain.serialMsPerRecord} ms`);
      out.throughput[store] = { oneInstance: await runThroughput({ ...throughput, databaseUrl: url, instances: 1, log }) };
      if (url) out.throughput[store].twoInstances = await runThroughput({ ...throughput, databaseUrl: url, instances: 2, log });
    }
  }
  return out;
}

/** Adds each target's verdict, and the cycles a second the audit chain allows, to a run's (or the medians') figures. */
function withTargets(figures: Figures) {
  const chainBound: Record<string, number> = {};
  for (const [store, chain] of Object.entries(figures.auditChain ?? {})) {
    const perCycle = figures.throughput?.[store]?.oneInstance?.auditRecordsPerCycle;
    if (perCycle) chainBound[store] = round(chain.contendedAppendsPerSec / perCycle, 1);
  }
  return {
    ...figures,
    ...(Object.keys(chainBound).length > 0 ? { auditChainAllowsCyclesPerSec: chainBound } : {}),
    targets: {
      ...(figures.ack ? { ackP99RatioAtMost1_5: figures.ack.ackP99Ratio <= 1.5 } : {}),
      ...(figures.issue ? { issueP50RatioAtMost2: figures.issue.issueP50Ratio <= 2 } : {}),
      ...(figures.onPostgresql
        ? { ackP99RatioAtMost1_5OnPostgresql: figures.onPostgresql.ack.ackP99Ratio <= 1.5, issueP50RatioAtMost2OnPostgresql: figures.onPostgresql.issue.issueP50Ratio <= 2 }
        : {}),
    },
  };
}

/** The median of every number over the runs, field by field; anything else as the first run has it. */
function medianOfEach(values: readonly unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number' || first === null) return median(values as (number | null)[]);
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    return Object.fromEntries(Object.keys(first).map((key) => [key, medianOfEach(values.map((v) => (v as Record<string, unknown>)[key]))]));
  }
  return first;
}
