import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteInWorker } from '../../../src/adapters/store/pglite-in-worker.ts';

let db: PGliteInWorker;

beforeAll(async () => {
  db = new PGliteInWorker({ dataDir: null });
  await db.waitReady;
  await db.exec(`CREATE TABLE things (id text PRIMARY KEY, at timestamptz, data jsonb, n bigint)`);
});

afterAll(async () => {
  await db.close();
});

describe('the embedded database on its own thread', () => {
  it('answers a query with rows as objects or arrays, and affected rows for writes', async () => {
    const insert = await db.query(`INSERT INTO things (id, n) VALUES ($1, $2), ($3, $4)`, ['a', 1, 'b', 2]);
    expect(insert.affectedRows).toBe(2);
    const objects = await db.query<{ id: string }>(`SELECT id FROM things WHERE id = ANY($1::text[]) ORDER BY id`, [['a', 'b']]);
    expect(objects.rows).toEqual([{ id: 'a' }, { id: 'b' }]);
    const arrays = await db.query(`SELECT id FROM things ORDER BY id`, [], { rowMode: 'array' });
    expect(arrays.rows).toEqual([['a'], ['b']]);
    expect(arrays.fields).toEqual([{ name: 'id', dataTypeID: 25 }]);
    await db.exec(`DELETE FROM things`);
  });

  it('hands the caller’s parsers the text PostgreSQL sent, since functions cannot cross threads', async () => {
    await db.query(`INSERT INTO things (id, at, data, n) VALUES ('p', '2026-12-01T10:00:00.123Z', '{"k":[1,2]}', 9007199254740993)`);
    const seen: string[] = [];
    const asText = (value: string) => {
      seen.push(value);
      return `parsed:${value}`;
    };
    const { rows } = await db.query(`SELECT at, data, n FROM things WHERE id = 'p'`, [], { rowMode: 'array', parsers: { 1184: asText, 3802: asText, 20: asText } });
    expect(rows).toEqual([['parsed:2026-12-01 10:00:00.123+00', 'parsed:{"k": [1, 2]}', 'parsed:9007199254740993']]);
    expect(seen).toHaveLength(3);
    await db.exec(`DELETE FROM things`);
  });

  it('reports PostgreSQL errors as PGlite’s DatabaseError, with the code and constraint', async () => {
    await db.query(`INSERT INTO things (id) VALUES ('dup')`);
    const error = await db.query(`INSERT INTO things (id) VALUES ('dup')`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(messages.DatabaseError);
    expect(error).toMatchObject({ code: '23505', constraint: 'things_pkey' });
    await db.exec(`DELETE FROM things`);
  });

  it('commits a transaction’s statements together, and gives it the database to itself', async () => {
    let outsideRanAt = -1;
    let step = 0;
    const transaction = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (id) VALUES ('t1')`);
      step = 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.query(`INSERT INTO things (id) VALUES ('t2')`);
      step = 2;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const outside = db.query<{ count: number }>(`SELECT count(*)::int AS count FROM things`).then((result) => {
      outsideRanAt = step;
      return result.rows[0]!.count;
    });
    await transaction;
    expect(await outside).toBe(2);
    expect(outsideRanAt).toBe(2);
    await db.exec(`DELETE FROM things`);
  });

  it('rolls back when the callback throws or calls rollback, and the next statement runs', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO things (id) VALUES ('gone')`);
        throw new Error('changed my mind');
      })
      .catch((e: unknown) => e);
    expect(failure).toEqual(new Error('changed my mind'));
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (id) VALUES ('also-gone')`);
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });
    expect((await db.query(`SELECT id FROM things`)).rows).toEqual([]);
  });

  it('refuses work once closed, with a message that says so', async () => {
    const other = new PGliteInWorker({ dataDir: null });
    await other.waitReady;
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow('the embedded database is closed');
  });

  it('does not keep a finished program alive, even when nobody closed it', async () => {
    const script = `
      import { PGliteInWorker } from ${JSON.stringify(fileURLToPath(new URL('../../../src/adapters/store/pglite-in-worker.ts', import.meta.url)))};
      const db = new PGliteInWorker({ dataDir: null });
      const { rows } = await db.query('SELECT 41 + 1 AS answer');
      console.log(rows[0].answer);`;
    const dir = await mkdtemp(path.join(tmpdir(), 'elevate-pglite-exit-'));
    try {
      await writeFile(path.join(dir, 'probe.mts'), script);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(dir, 'probe.mts')], { timeout: 60_000 });
      expect(stdout.trim()).toBe('42');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
