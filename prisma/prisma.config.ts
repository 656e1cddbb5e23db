import { defineConfig } from 'prisma/config';

/**
 * Configuration for the Prisma CLI. It lives under prisma/ (the top level of this repository
 * holds only what it must), so every script passes `--config prisma/prisma.config.ts`.
 * The CLI is used only for `prisma generate`; migrations are created and applied through the
 * WebAssembly schema engine (prisma/new-migration.ts, src/adapters/store/prisma/migrate.ts).
 */
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
});
