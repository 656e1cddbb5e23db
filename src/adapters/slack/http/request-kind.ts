/** The kinds of request Slack sends to `/slack/events`, each in the one encoding Slack uses for it. */
export type SlackRequestKind = 'slash_command' | 'interactivity' | 'url_verification' | 'event_callback' | 'app_rate_limited';

export type SlackRequestShape = { ok: true; kind: SlackRequestKind } | { ok: false; reason: string };

/** The Events API envelopes; each is JSON, never form-encoded. */
const ENVELOPES: readonly string[] = ['url_verification', 'event_callback', 'app_rate_limited'];

/**
 * Checks that a (signed) body is one of the things Slack sends, in Slack's own encoding: slash
 * commands and interactivity are `application/x-www-form-urlencoded` (a command's fields, or a
 * single `payload` holding JSON), Events API envelopes are `application/json` (`url_verification`
 * with its challenge, `event_callback` with its event). Bolt would read any of these fields from
 * either encoding, so without this check a JSON body carrying a command's fields is run as a
 * command: anything else is refused before Bolt sees it.
 */
export function slackRequestShape(contentType: string | undefined, body: string): SlackRequestShape {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return formShape(new URLSearchParams(body));
  if (type === 'application/json') return jsonShape(body);
  return { ok: false, reason: 'unsupported content type' };
}

function formShape(fields: URLSearchParams): SlackRequestShape {
  const payload = fields.get('payload');
  const command = fields.get('command');
  if (payload !== null && command !== null) return { ok: false, reason: 'both a command and a payload' };
  if (command !== null) return command.startsWith('/') ? { ok: true, kind: 'slash_command' } : { ok: false, reason: 'malformed command' };
  if (payload === null) return { ok: false, reason: 'neither a command nor a payload' };
  const value = parseObject(payload);
  if (value === null || typeof value['type'] !== 'string') return { ok: false, reason: 'malformed payload' };
  if (ENVELOPES.includes(value['type'])) return { ok: false, reason: 'an Events API envelope sent as a form' };
  return { ok: true, kind: 'interactivity' };
}

function jsonShape(body: string): SlackRequestShape {
  const value = parseObject(body);
  if (value === null) return { ok: false, reason: 'not a JSON object' };
  if ('command' in value || 'payload' in value) return { ok: false, reason: 'command fields sent as JSON' };
  const type = value['type'];
  if (type === 'url_verification') return typeof value['challenge'] === 'string' ? { ok: true, kind: 'url_verification' } : { ok: false, reason: 'malformed url_verification' };
  if (type === 'event_callback') {
    const event = value['event'];
    return event !== null && typeof event === 'object' && !Array.isArray(event) ? { ok: true, kind: 'event_callback' } : { ok: false, reason: 'malformed event_callback' };
  }
  if (type === 'app_rate_limited') return { ok: true, kind: 'app_rate_limited' };
  return { ok: false, reason: 'not an Events API envelope' };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
