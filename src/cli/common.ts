import { ConfigError } from '../config/problems.ts';
import { isElevateError } from '../domain/errors.ts';

/**
 * Runs a command-line entry point: prints configuration errors and typed errors as plain
 * sentences (never a stack trace with secrets in it) and sets the exit code.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
      else if (isElevateError(error)) process.stderr.write(`error (${error.code}): ${error.message}\n`);
      else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
