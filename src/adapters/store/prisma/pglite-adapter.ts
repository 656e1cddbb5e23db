import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * The Prisma driver adapter for an embedded PGlite database, with two repairs.
 *
 * pglite-prisma-adapter 0.7's `executeScript` starts `PGlite.exec(script)` without awaiting it,
 * so a failing script (a migration) is reported as a success and its error escapes as an
 * unhandled rejection. The schema engine applies every migration through `executeScript`, so
 * here it is replaced by one that waits and reports the error the way the adapter reports
 * query errors.
 */
export function pgliteAdapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withAwaitedScripts(await inner.connect()),
    connectToShadowDb: async () => closedOnDispose(withAwaitedScripts(await inner.connectToShadowDb())),
  };
}

interface PGliteAdapterInternals {
  client: PGlite;
  onError(error: unknown): never;
}

/**
 * The shadow database is a PGlite the adapter creates for one diff; the adapter never closes it.
 * (The main adapter's `dispose` must not close its PGlite: the caller owns that one.)
 */
function closedOnDispose(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as unknown as SqlDriverAdapter & PGliteAdapterInternals;
  internals.dispose = () => internals.client.close();
  return adapter;
}

function withAwaitedScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as unknown as SqlDriverAdapter & PGliteAdapterInternals;
  internals.executeScript = async (script: string) => {
    try {
      await internals.client.exec(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}
