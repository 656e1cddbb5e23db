import { ConfigError } from '../config/problems.ts';
import { isElevateError } from '../domain/errors.ts';

/**
 * Runs a command-line entry point: prints configuration errors and typed errors as plain
 * sentences (never a stack trace with secrets in it) and exits with the command's code.
 *
 * It exits explicitly because Prisma's WebAssembly schema engine leaves a ten-second timer
 * behind after migrating, which would otherwise keep every command waiting for nothing.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
      else if (isElevateError(error)) process.stderr.write(`error (${error.code}): ${error.message}\n`);
      else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
