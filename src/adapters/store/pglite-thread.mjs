// The embedded database's own thread (see pglite-in-worker.ts). Plain JavaScript, so the thread
// starts the same way under tsx, vitest and a compiled build: it needs nothing but PGlite.
//
// Requests are { id, op, ... }; answers are { id, result } or { id, error }. PGlite runs one
// statement at a time; which statements may run when (transactions) is decided by the caller.
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';

const port = parentPort;
if (!port) throw new Error('pglite-thread.mjs runs as a worker thread');

const { dataDir, template } = workerData;
const db = new PGlite({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: new Blob([template]) } : {}) });
const identity = (value) => value;

/** Everything a DatabaseError carries (code, detail, constraint, …), as plain data. */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = {};
  for (const [name, value] of Object.entries(error)) if (typeof value === 'string' || typeof value === 'number') fields[name] = value;
  return { message: error.message, kind: error instanceof messages.DatabaseError ? 'DatabaseError' : 'Error', stack: error.stack, fields };
}

/** What a result carries across the thread boundary: rows, column names and types, row count. */
function plain({ rows, fields, affectedRows }) {
  return { rows, fields: fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })), affectedRows };
}

async function handle(request) {
  switch (request.op) {
    case 'ready':
      await db.waitReady;
      return null;
    case 'query': {
      // Columns the caller parses itself (its parsers are functions, which cannot cross threads)
      // come back as the text PostgreSQL sent.
      const parsers = Object.fromEntries(request.rawTypes.map((oid) => [oid, identity]));
      return plain(await db.query(request.sql, request.params, { rowMode: request.rowMode, parsers }));
    }
    case 'exec':
      return (await db.exec(request.sql)).map(plain);
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}

port.on('message', (request) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, result }),
    (error) => port.postMessage({ id: request.id, error: describe(error) }),
  );
});
