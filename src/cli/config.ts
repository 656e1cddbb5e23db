import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { applyConfig, planConfig } from '../app/apply-config.ts';
import { parseElevateConfig } from '../config/elevate-file.ts';
import { readServiceConfig } from '../config/env.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import { loadAuditKeys } from '../adapters/crypto/audit-key.ts';
import { openStore } from '../adapters/store/open-store.ts';
import { describeChange } from '../domain/desired-state.ts';
import { createLogger } from '../logging/logger.ts';
import { runCli } from './common.ts';

const USAGE = `usage: npm run config -- plan|apply [file]

  plan   show what applying the file would change in the database (changes nothing)
  apply  make the database match the file; every change is audited
  file   defaults to $ELEVATE_CONFIG`;

/** GitOps for scopes, principals and reviewer channels: `plan` is the dry run of `apply`. */
runCli(async () => {
  const [command, fileArg] = process.argv.slice(2);
  if (command !== 'plan' && command !== 'apply') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const problems: ConfigProblem[] = [];
  const service = readServiceConfig(process.env, problems);
  const file = fileArg ?? service.configFile;
  if (!file) problems.push({ key: 'file', message: 'name a config file or set ELEVATE_CONFIG' });
  if (problems.length > 0) throw new ConfigError(problems);

  const text = readFileSync(file!, 'utf8');
  const desired = parseElevateConfig(text, `config file ${file}`);
  const logger = createLogger({ level: 'warn', pretty: false });
  // Applying writes audit records: they are chained with the same key as the service's.
  const [auditKey] = loadAuditKeys({ configured: service.auditKeys, dataDir: service.dataDir, logger });
  const { store, description } = await openStore({ databaseUrl: service.databaseUrl ?? undefined, dataDir: service.dataDir, logger, auditKey });
  try {
    const changes = command === 'plan'
      ? await planConfig(store, desired)
      : await applyConfig({ store }, desired, { actor: `config:${file}`, source: { file: file!, sha256: createHash('sha256').update(text).digest('hex') } });
    process.stdout.write(`${command === 'plan' ? 'Plan for' : 'Applied to'} ${description}:\n`);
    for (const change of changes) process.stdout.write(`  ${describeChange(change)}\n`);
    process.stdout.write(changes.length === 0 ? '  no changes: the database matches the file\n' : `  ${changes.length} change(s)${command === 'plan' ? ' — run `npm run config -- apply` to make them' : ''}\n`);
    return 0;
  } finally {
    await store.close();
  }
});
