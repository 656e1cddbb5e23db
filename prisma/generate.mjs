// Generates the Prisma Client into src/generated/prisma (run by `postinstall` and `db:generate`).
//
// Prisma 7's CLI wants to download its Rust schema engine before any command, even though
// `prisma generate` never uses it; the download host is unreachable behind strict proxies (and
// here). Pointing PRISMA_SCHEMA_ENGINE_BINARY at an executable that exists (this Node binary)
// satisfies that check, so nothing is fetched. The other variables switch off the update check
// and telemetry, which would also call out.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const config = fileURLToPath(new URL('./prisma.config.ts', import.meta.url));
const generated = fileURLToPath(new URL('../src/generated/prisma/client.ts', import.meta.url));

let cli;
try {
  cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
} catch {
  // `npm ci --omit=dev` leaves out the CLI (a dev dependency). Failing here would fail the whole
  // install, so say what is missing instead; an existing generated client keeps working.
  const state = existsSync(generated) ? 'keeping the existing client in src/generated/prisma' : 'src/generated/prisma is missing';
  console.warn(`prisma/generate.mjs: the prisma CLI is not installed (dev dependency); ${state}. Run \`npm install\` with dev dependencies to generate it.`);
  process.exit(0);
}

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

const result = spawnSync(process.execPath, [cli, 'generate', '--config', config], { env, stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
