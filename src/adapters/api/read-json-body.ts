import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ElevateError } from '../../domain/errors.ts';
import { readBodyWithin } from '../../shared/http/read-body.ts';
import type { FieldProblem } from './problem.ts';

/** The largest body the API reads; its bodies are a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a POST body as the schema says: `application/json` only (415 otherwise), at most
 * {@link MAX_BODY_BYTES} (413; the connection is then closed by the caller, since the rest of the
 * body was never read), valid JSON, and every field as the schema wants, unknown ones refused by
 * name. An empty body counts as `{}`, so bodiless actions (`/cancel`) need no content type.
 */
export async function readJsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.output<T>> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readBodyWithin(req, MAX_BODY_BYTES);
  if (text === null) throw tooLarge();
  if (text.trim() === '') return parseWith(schema, {});
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.-]+\+json$/.test(type)) {
    throw new ElevateError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.', { details: { contentType: type.slice(0, 100) } });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ElevateError('invalid_input', 'The body is not valid JSON.');
  }
  return parseWith(schema, value);
}

/** Checks a parsed value (a body, or the query string as an object) against a schema. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: FieldProblem[] = parsed.error.issues.map((issue) => {
    const path = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(', ')] : [])];
    const field = `${prefix}${path.join('.')}` || '(body)';
    const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: not part of this API` : issue.message;
    return { field, message };
  });
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ElevateError('invalid_input', `The request is not valid: ${summary}.`, { details: { fields } });
}

function tooLarge(): ElevateError {
  return new ElevateError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
}
