/**
 * What the audit chain's serialisation costs per record. Every append locks the chain's head row
 * until its transaction commits (src/adapters/store/prisma/audit-head.ts), so appends from any
 * number of writers, connections or instances run one after another: their rate under contention
 * is the most records a second the whole deployment can write, whatever else it has to spare.
 *
 * Measured through the production store (openStore, keyed chain as the service keys it): one
 * append per transaction, first one writer at a time (`uncontendedMsPerAppend`), then `writers`
 * writers at once (`contendedAppendsPerSec`, and `serialMsPerRecord` = 1000 / that rate: the
 * time each record holds the chain).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuditKeys } from '../../../src/adapters/crypto/audit-key.ts';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { runWithConcurrency } from '../../../src/shared/run-with-concurrency.ts';
import { createThrowawayDatabase } from '../../support/postgres.ts';
import { round } from '../figures.ts';

export interface AuditAppendFigures {
  appends: number;
  writers: number;
  uncontendedMsPerAppend: number;
  contendedAppendsPerSec: number;
  serialMsPerRecord: number;
}

export async function measureAuditAppends(options: { databaseUrl: string | null; appends: number; writers: number }): Promise<AuditAppendFigures> {
  const { appends, writers } = options;
  const dir = mkdtempSync(join(tmpdir(), 'elevate-flow-audit-'));
  const logger = silentLogger();
  const database = options.databaseUrl ? await createThrowawayDatabase(options.databaseUrl) : null;
  const [auditKey] = loadAuditKeys({ configured: null, dataDir: dir, logger });
  const { store } = await openStore({ ...(database ? { databaseUrl: database.url } : { inMemory: true }), dataDir: dir, logger, auditKey });
  try {
    const append = (i: number) => store.transaction((tx) => tx.appendAudit({ type: 'request.created', actor: `bench-${i % 100}`, requestId: `bench-r${i}`, data: { scope: 'prod-db-admin', durationSec: 3600 } }));
    for (let i = 0; i < 20; i += 1) await append(i); // warm-up, untimed
    const alone = performance.now();
    for (let i = 0; i < appends; i += 1) await append(i);
    const aloneMs = performance.now() - alone;
    const together = performance.now();
    await runWithConcurrency(
      Array.from({ length: appends }, (_, i) => i),
      writers,
      async (i) => void (await append(i)),
    );
    const togetherMs = performance.now() - together;
    const perSec = appends / (togetherMs / 1000);
    return { appends, writers, uncontendedMsPerAppend: round(aloneMs / appends, 2), contendedAppendsPerSec: round(perSec), serialMsPerRecord: round(1000 / perSec, 2) };
  } finally {
    await store.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
