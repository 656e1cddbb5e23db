import { openStore } from '../adapters/store/open-store.ts';
import { readServiceConfig } from '../config/env.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import { createLogger } from '../logging/logger.ts';
import { runCli } from './common.ts';

/**
 * `npm run db:migrate`: brings the database (DATABASE_URL, or the embedded one under
 * ELEVATE_DATA_DIR) up to date with prisma/migrations and says what it did. The service does the
 * same at start-up; this is for deploying the schema ahead of the code, or checking it.
 */
runCli(async () => {
  const problems: ConfigProblem[] = [];
  const service = readServiceConfig(process.env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const logger = createLogger({ level: 'warn', pretty: false });
  const { store, kind, description, appliedMigrations } = await openStore({ databaseUrl: service.databaseUrl ?? undefined, dataDir: service.dataDir, logger });
  try {
    if (appliedMigrations.length === 0) {
      process.stdout.write(`${kind} at ${description}: already up to date, no migration applied\n`);
    } else {
      process.stdout.write(`${kind} at ${description}: applied ${appliedMigrations.length} migration(s):\n`);
      for (const name of appliedMigrations) process.stdout.write(`  ${name}\n`);
    }
    const health = await store.health();
    if (!health.ok) {
      process.stdout.write(`but the database is not ready: ${health.reason} (${health.detail})\n`);
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
});
