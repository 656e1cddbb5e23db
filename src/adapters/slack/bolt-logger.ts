import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logging/logger.ts';

/**
 * Bolt and its Web API client log through our pino logger, with one exception: their debug
 * output is dropped, never forwarded. At debug level the Web API client writes every request
 * and response body (`http request body: …`), which would put the token shown in the reveal
 * modal, and every user's reason, into the log. `logger` is the adapter's own (already bound to
 * `component: slack`); Bolt's lines add `source: bolt` rather than a second `component` key.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ source: 'bolt' });
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => log.info(text(parts)),
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
