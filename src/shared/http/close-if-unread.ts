import type { IncomingMessage } from 'node:http';

/**
 * The header that keeps a kept-alive connection sound after an early answer. A body left unread
 * (a request refused before it was read, or one cut off at a size limit) would otherwise be
 * parsed as the start of the next request on that connection, which then stalls and is reset:
 * when the body was not read to its end, the answer closes the connection instead.
 */
export function closeIfUnread(req: IncomingMessage): Record<string, string> {
  return req.complete ? {} : { connection: 'close' };
}
