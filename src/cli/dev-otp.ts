import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { msUntilStepEnds, nextUsableStep, totpCodeAt, totpStepAt, totpUri } from '../adapters/oauth/dev-server/totp/dev-totp.ts';
import { DEV_TOTP_SECRETS_FILE_NAME, DevTotpSecretsFile, parseTotpSecrets } from '../adapters/oauth/dev-server/totp/totp-secrets-file.ts';
import { parseElevateConfig } from '../config/elevate-file.ts';
import { readServiceConfig } from '../config/env.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import { ElevateError } from '../domain/errors.ts';
import { createLogger } from '../logging/logger.ts';
import { runCli } from './common.ts';

const USAGE = `usage: npm run dev:otp -- <principal>

  Prints the one-time code the embedded development authorization server asks <principal> for
  at sign-in, and the otpauth:// URI to add the same secret to an authenticator app.
  Reads the secrets in $ELEVATE_DATA_DIR/${DEV_TOTP_SECRETS_FILE_NAME} (creating the person's secret
  if it has none yet), and the people of $ELEVATE_CONFIG when it is set.`;

/**
 * `npm run dev:otp -- <principal>`: the development AS's second factor for a person, from the
 * same secrets file and module the AS uses. It does not open the database (the running service
 * holds the embedded one): who is a person comes from the config file when `ELEVATE_CONFIG` is
 * set, and otherwise from the secrets file, where the AS lists every person it has seen.
 */
runCli(async () => {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const principalId = args[0]!;
  const problems: ConfigProblem[] = [];
  const service = readServiceConfig(process.env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  if (service.production) throw new ElevateError('config_invalid', 'The embedded development authorization server does not run with NODE_ENV=production, so it has no one-time codes.');
  if (!existsSync(service.dataDir) || !statSync(service.dataDir).isDirectory()) {
    throw new ElevateError('config_invalid', `The data directory ${service.dataDir} does not exist. Start Elevate once (npm start), or set ELEVATE_DATA_DIR to the directory the service uses.`);
  }

  const file = join(service.dataDir, DEV_TOTP_SECRETS_FILE_NAME);
  checkIsPerson(principalId, service.configFile || null, file);
  // Warnings (a secret generated, permissions reset) go to stderr; stdout carries the code.
  const secrets = new DevTotpSecretsFile(file, createLogger({ level: 'warn', pretty: false, destination: process.stderr }));
  const entry = await secrets.entryFor(principalId);

  const nowMs = Date.now();
  const step = nextUsableStep(entry.lastStep, nowMs);
  if (step === null) {
    const waitSec = Math.ceil(msUntilStepEnds(totpStepAt(nowMs), nowMs) / 1000);
    process.stdout.write(`The codes of ${principalId} for now and the next 30 seconds were used already; run this again in ${waitSec} s.\n`);
  } else {
    const secondsLeft = Math.ceil(msUntilStepEnds(step, nowMs) / 1000);
    const note = step === totpStepAt(nowMs) ? `valid for ${secondsLeft} more seconds` : `the current code was used already; this next one is accepted from now for ${secondsLeft} seconds`;
    process.stdout.write(`code: ${totpCodeAt(entry.secret, step)}  (${principalId}, ${note})\n`);
  }
  process.stdout.write(`For an authenticator app (issuer "Elevate (development)", account ${principalId}):\n${totpUri(entry.secret, principalId)}\n`);
  return 0;
});

/**
 * Refuses an id that is not a person: by the config file when there is one, else by the secrets
 * file (the AS writes a secret for every person it serves at start). Throws with what to do.
 */
function checkIsPerson(principalId: string, configFile: string | null, secretsFile: string): void {
  if (configFile !== null) {
    const principal = parseElevateConfig(readFileSync(configFile, 'utf8'), `config file ${configFile}`).principals.find((candidate) => candidate.id === principalId);
    if (principal === undefined) throw new ElevateError('config_invalid', `${principalId} is not a principal of ${configFile}.`);
    if (principal.kind !== 'human') {
      throw new ElevateError('config_invalid', `${principalId} is a service account: it signs in with client credentials (its secret is in dev-client-secrets.json), not with a one-time code.`);
    }
    return;
  }
  const known = existsSync(secretsFile) ? Object.keys(parseTotpSecrets(readFileSync(secretsFile, 'utf8'), secretsFile)) : [];
  if (!known.includes(principalId)) {
    const listed = known.length > 0 ? ` The people it knows: ${known.sort().join(', ')}.` : '';
    throw new ElevateError(
      'config_invalid',
      `${principalId} is not a person the development authorization server has seen in ${secretsFile}.${listed} Set ELEVATE_CONFIG to the service's config file to check against it.`,
    );
  }
}
