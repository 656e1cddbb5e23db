import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The flow benchmark is a command, not a timed test: this only checks that its quick form still
 * runs every scenario through the real stacks and ends with the JSON line other tools read. No
 * figure is judged here; only counts that say the flows completed.
 */
describe('npm run bench:flow -- --quick', () => {
  it('runs every scenario and ends with one JSON line holding their figures', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'bench:flow', '--', '--quick'], {
      cwd: root,
      // PGlite only: the PostgreSQL throughput runs belong to the full benchmark.
      env: { ...process.env, TEST_DATABASE_URL: '' },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, Record<string, unknown>>;

    expect(Object.keys(result)).toEqual(expect.arrayContaining(['runs', 'quick', 'burst', 'ack', 'issue', 'throughput', 'auditChain', 'auditChainAllowsCyclesPerSec', 'targets']));
    expect(result.burst).toEqual(expect.objectContaining({ lastReviewerPostMs: expect.any(Number), postLatencyP99Ms: expect.any(Number), revocationLagMaxMs: expect.any(Number) }));
    expect(result.burst!.posted).toBe(result.burst!.requests);
    expect(result.burst!.revoked).toBe(result.burst!.grantsEndingDuringBurst);
    expect(result.ack).toEqual(expect.objectContaining({ serviceAckP50Ms: expect.any(Number), serviceAckP99Ms: expect.any(Number), bareAckP99Ms: expect.any(Number), ackP99Ratio: expect.any(Number) }));
    expect(result.issue).toEqual(expect.objectContaining({ clickToGrantDmP50Ms: expect.any(Number), clickToGrantDmP99Ms: expect.any(Number), asExchangeP50Ms: expect.any(Number), clickOverheadP50Ms: expect.any(Number), issueP50Ratio: expect.any(Number) }));
    const cycles = (result.throughput as Record<string, Record<string, Record<string, number>>>).pglite!.oneInstance!;
    expect(cycles).toEqual(expect.objectContaining({ cyclesPerSec: expect.any(Number), auditRecordsPerCycle: expect.any(Number) }));
    expect(cycles.cycles).toBe(cycles.requesters);
    expect(result.auditChain!.pglite).toEqual(expect.objectContaining({ serialMsPerRecord: expect.any(Number), contendedAppendsPerSec: expect.any(Number) }));
    expect(Object.keys(result.targets!)).toEqual(['ackP99RatioAtMost1_5', 'issueP50RatioAtMost2']);
  }, 250_000);
});
