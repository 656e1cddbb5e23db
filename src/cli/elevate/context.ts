/** Where the CLI writes: stdout for results (and nothing but the token with `--print-token`), stderr for the rest. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A spinner on a terminal, plain progress lines otherwise. */
  stderrIsTty: boolean;
}

/** Everything the CLI takes from the process, so tests run it in-process with their own. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  io: CliIo;
  fetch: typeof fetch;
  /** Epoch milliseconds. */
  now(): number;
  /** Aborted on Ctrl-C: long waits stop and say how to pick up again. */
  signal: AbortSignal;
}

/** The context of the running process. */
export function processContext(signal: AbortSignal): CliContext {
  return {
    env: process.env,
    io: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrIsTty: Boolean(process.stderr.isTTY),
    },
    fetch: globalThis.fetch,
    now: () => Date.now(),
    signal,
  };
}
