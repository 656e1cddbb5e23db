import { describe, expect, it } from 'vitest';
import { ElevateError } from '../../../src/domain/errors.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { sendJson } from '../../../src/http/respond.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

describe('the HTTP server', () => {
  it('lets an in-flight request finish when it is asked to stop, then refuses new ones', async () => {
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const http = createHttpServer({
      logger: silentLogger(),
      routes: [{ method: 'GET', path: '/slow', handler: async (_req, res) => { entered(); await released; sendJson(res, 200, { done: true }); } }],
    });
    const { port } = await http.listen(0, '127.0.0.1');
    const response = fetch(`http://127.0.0.1:${port}/slow`);
    await handlerEntered;
    const closing = http.close();
    release();
    expect(await (await response).json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow();
  });

  it('maps typed errors to statuses and hides untyped ones', async () => {
    const http = createHttpServer({
      logger: silentLogger(),
      routes: [
        { method: 'GET', path: '/typed', handler: () => { throw new ElevateError('self_approval', 'You cannot review your own request.'); } },
        { method: 'GET', path: '/untyped', handler: () => { throw new Error('connection string postgres://user:hunter2@db'); } },
      ],
    });
    const { port } = await http.listen(0, '127.0.0.1');
    try {
      const typed = await fetch(`http://127.0.0.1:${port}/typed`);
      expect(typed.status).toBe(403);
      expect(await typed.json()).toEqual({ error: 'self_approval', message: 'You cannot review your own request.' });
      const untyped = await fetch(`http://127.0.0.1:${port}/untyped`);
      expect(untyped.status).toBe(500);
      expect(await untyped.text()).not.toContain('hunter2');
      expect((await fetch(`http://127.0.0.1:${port}/typed`, { method: 'POST' })).status).toBe(405);
      const withId = await fetch(`http://127.0.0.1:${port}/nowhere`, { headers: { 'x-request-id': 'abc-123' } });
      expect(withId.headers.get('x-request-id')).toBe('abc-123');
      const forged = await fetch(`http://127.0.0.1:${port}/nowhere`, { headers: { 'x-request-id': 'evil\tvalue' } });
      expect(forged.headers.get('x-request-id')).not.toContain('evil');
    } finally {
      await http.close();
    }
  });
});
