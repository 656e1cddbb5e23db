import type { ApiRequest } from './api-types.ts';
import type { CliIo } from './context.ts';
import { describeState, formatElapsed } from './render.ts';

/** What `--wait` shows on stderr while it waits. */
export interface WaitProgress {
  update(request: ApiRequest): void;
  note(text: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SPIN_MS = 100;
/** Without a terminal, a "still waiting" line at most this often, so CI logs stay short. */
const PLAIN_EVERY_MS = 60_000;

/**
 * A spinner with the time waited on a terminal; plain lines otherwise (one when the state
 * changes, and one a minute while it does not).
 */
export function waitProgress(io: CliIo, now: () => number, request: ApiRequest): WaitProgress {
  const started = now();
  let state = describeState(request);
  io.stderr(`Request ${request.id} (${request.scope}): ${state}\n`);
  return io.stderrIsTty ? spinner(io, now, started, request, () => state, (s) => (state = s)) : plainLines(io, now, started, () => state, (s) => (state = s));
}

/** The spinner's line stays short: a wrapped line could not be redrawn in place. */
function shortState(request: ApiRequest): string {
  return request.grant ? `${request.status}, grant ${request.grant.status}` : request.status;
}

function spinner(io: CliIo, now: () => number, started: number, request: ApiRequest, state: () => string, setState: (s: string) => void): WaitProgress {
  let frame = 0;
  let short = shortState(request);
  const draw = () => io.stderr(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} waiting ${formatElapsed(now() - started)}: ${short}`);
  const timer = setInterval(draw, SPIN_MS);
  timer.unref();
  draw();
  return {
    update(next) {
      setState(describeState(next));
      short = shortState(next);
    },
    note(text) {
      io.stderr(`\r\x1b[K${text}\n`);
    },
    stop() {
      clearInterval(timer);
      io.stderr('\r\x1b[K');
      io.stderr(`${state()} (waited ${formatElapsed(now() - started)})\n`);
    },
  };
}

function plainLines(io: CliIo, now: () => number, started: number, state: () => string, setState: (s: string) => void): WaitProgress {
  let lastLine = started;
  return {
    update(request) {
      const next = describeState(request);
      if (next !== state() || now() - lastLine >= PLAIN_EVERY_MS) {
        setState(next);
        lastLine = now();
        io.stderr(`waited ${formatElapsed(now() - started)}: ${next}\n`);
      }
    },
    note(text) {
      io.stderr(`${text}\n`);
    },
    stop() {
      io.stderr(`${state()} (waited ${formatElapsed(now() - started)})\n`);
    },
  };
}
