import type { ExitCode } from './exit-codes.ts';

/**
 * A failure the CLI reports as one sentence on stderr and an exit code. Its message is written
 * for the user and never carries a token or a secret; the `cause` (the library's error, for
 * tests and debuggers) is never printed.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
