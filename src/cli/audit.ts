import { loadAuditKeys } from '../adapters/crypto/audit-key.ts';
import { openStore } from '../adapters/store/open-store.ts';
import { exportAuditTrail } from '../app/export-audit-trail.ts';
import { verifyAuditTrail } from '../app/verify-audit-trail.ts';
import { readServiceConfig } from '../config/env.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import { createLogger } from '../logging/logger.ts';
import { runCli } from './common.ts';

const USAGE = `usage: npm run audit -- verify | export [--after SEQ]

  verify  re-compute the hash chain under the audit keys (ELEVATE_AUDIT_KEY); exit 0 when intact,
          1 naming the first broken record
  export  write the trail as JSON lines to stdout (records after SEQ only, with --after)`;

runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'verify' && command !== 'export') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const problems: ConfigProblem[] = [];
  const service = readServiceConfig(process.env, problems);
  const afterIndex = rest.indexOf('--after');
  const afterSeq = afterIndex >= 0 ? Number(rest[afterIndex + 1]) : 0;
  if (!Number.isInteger(afterSeq) || afterSeq < 0) problems.push({ key: '--after', message: 'expected a record number (0 or more)' });
  if (problems.length > 0) throw new ConfigError(problems);

  // Warnings go to stderr: stdout carries the export.
  const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
  const auditKeys = loadAuditKeys({ configured: service.auditKeys, dataDir: service.dataDir, logger });
  const { store, description } = await openStore({ databaseUrl: service.databaseUrl ?? undefined, dataDir: service.dataDir, logger });
  try {
    if (command === 'export') {
      for await (const line of exportAuditTrail(store, { afterSeq })) {
        if (!process.stdout.write(line)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
      return 0;
    }
    const result = await verifyAuditTrail(store, auditKeys);
    if (result.ok) {
      process.stdout.write(`audit trail intact: ${result.records} record(s), head #${result.headSeq} (${description})\n`);
      return 0;
    }
    process.stdout.write(`audit trail BROKEN at record #${result.brokenAtSeq}: ${result.problem} (${result.records} record(s) checked, ${description})\n`);
    return 1;
  } finally {
    await store.close();
  }
});
