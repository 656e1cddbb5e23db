import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body as UTF-8, or returns null as soon as it grows past `limitBytes`, so an
 * endpoint that must see the raw body (to check a signature) cannot be made to buffer without end.
 * The rest of an oversized body is left unread: answer with the header of `closeIfUnread` (close-if-unread.ts).
 */
export async function readBodyWithin(req: IncomingMessage, limitBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
