import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = glue.SchemaEngine;
export type { ApplyMigrationsInput, DiffParams, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';

/** Tables and enums the engine must not touch; none in Elevate's database. */
export const NO_EXTERNAL_OBJECTS = { externalTables: [], externalEnums: [] };

let initialised: Promise<void> | undefined;

/** The slice of the WebAssembly API used here; this project's `lib` setting does not declare it. */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

/**
 * Loads Prisma's schema engine compiled to WebAssembly, once per process. The package's entry
 * point imports the `.wasm` file the way bundlers do, which Node cannot; so the module is
 * instantiated here by hand and handed to the JS glue, as the entry point would have done.
 * This is what lets migrations run without the Rust binary the Prisma CLI downloads.
 */
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const gluePath = fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return initialised;
}

/**
 * Opens a schema engine that talks to the database through `adapterFactory` (PGlite or
 * PostgreSQL). `datamodel` is the schema text; commands that take their own schema ignore it.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: { datamodel?: { path: string; content: string }; log?: (line: string) => void } = {},
): Promise<SchemaEngine> {
  await initialiseWasm();
  const datamodels: [string, string][] | undefined = options.datamodel ? [[options.datamodel.path, options.datamodel.content]] : undefined;
  const log = options.log ?? (() => undefined);
  return glue.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}
