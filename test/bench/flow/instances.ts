import { join } from 'node:path';
import { createBotKeys, type BotKeys } from '../../../src/adapters/oauth/index.ts';
import { readOrCreateDevSigningKeys } from '../../../src/adapters/oauth/keys/dev-signing-keys.ts';
import { DEV_SIGNING_KEYS_FILENAME } from '../../../src/config/oauth.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { spawnBenchChild } from '../child-process.ts';

/** An Elevate running in its own process (service-process.ts). */
export interface ServiceInstance {
  url: string;
  eventsUrl: string;
  /** The audit chain's length when it was ready. */
  auditSeqAtStart: number;
  cpuMs(): Promise<number>;
  /** Stops it gracefully; resolves with the audit chain's length at the end. */
  stop(): Promise<number>;
}

export async function startServiceInstance(env: Record<string, string>): Promise<ServiceInstance> {
  // BENCH_SERVICE_EXEC_ARGV adds Node options to the instances, e.g. "--cpu-prof --cpu-prof-dir=/tmp/elevate".
  const execArgv = process.env.BENCH_SERVICE_EXEC_ARGV ? process.env.BENCH_SERVICE_EXEC_ARGV.split(' ') : [];
  const child = await spawnBenchChild<{ url: string; auditSeq: number }>(new URL('./service-process.ts', import.meta.url), env, { execArgv });
  return {
    url: child.ready.url,
    eventsUrl: `${child.ready.url}/slack/events`,
    auditSeqAtStart: child.ready.auditSeq,
    cpuMs: () => child.cpuMs(),
    stop: async () => {
      const lines = await child.close();
      return (JSON.parse(lines.at(-1) ?? '{"auditSeq":0}') as { auditSeq: number }).auditSeq;
    },
  };
}

/**
 * The bot's signing keys, written where an instance with data directory `dataDir` finds its
 * development keys, so the benchmark signs what the service signs (for the AS driven directly)
 * and every instance sharing `dataDir` uses the same keys.
 */
export async function botKeysIn(dataDir: string): Promise<BotKeys> {
  return createBotKeys(await readOrCreateDevSigningKeys(join(dataDir, DEV_SIGNING_KEYS_FILENAME), silentLogger()));
}
