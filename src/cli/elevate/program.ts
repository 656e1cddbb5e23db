import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError } from './cli-error.ts';
import { setUp, type GlobalOptions } from './command-setup.ts';
import { approve } from './commands/approve.ts';
import { deny } from './commands/deny.ts';
import { done } from './commands/done.ts';
import { extend } from './commands/extend.ts';
import { breakGlass } from './commands/break-glass.ts';
import { login } from './commands/login.ts';
import { logout } from './commands/logout.ts';
import { queue } from './commands/queue.ts';
import { request } from './commands/request.ts';
import { scopes } from './commands/scopes.ts';
import { status } from './commands/status.ts';
import { token } from './commands/token.ts';
import { verify } from './commands/verify.ts';
import type { CliContext } from './context.ts';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes.ts';
import { DEFAULT_SERVER } from './server-url.ts';
import { IDEMPOTENCY_KEY } from './submit-request.ts';
import { CLI_VERSION } from './version.ts';

const ENVIRONMENT_HELP = `Environment:
  ELEVATE_URL                  the server when --server is not given (default ${DEFAULT_SERVER})
  ELEVATE_CLIENT_ID            a service account's client id, for login --client-credentials
  ELEVATE_CLIENT_SECRET        its secret, or
  ELEVATE_CLIENT_SECRET_FILE   a file holding it
  ELEVATE_CONFIG_DIR           where logins are cached (default $XDG_CONFIG_HOME/elevate or ~/.config/elevate)

Example:
  TOKEN=$(elevate request prod-db-admin 15m "INC-1 fix" --wait --print-token)`;

function idempotencyKey(value: string): string {
  if (!IDEMPOTENCY_KEY.test(value)) throw new InvalidArgumentError('use 1–128 visible ASCII characters, e.g. a UUID.');
  return value;
}

/**
 * The `elevate` command line. Each command's action resolves the exit code it reports; usage
 * errors (commander's own) become {@link EXIT.usage}.
 */
export function buildProgram(ctx: CliContext, report: (code: ExitCode) => void): Command {
  const program = new Command('elevate')
    .description('Ask for, approve and use just-in-time elevation from the command line, through the Elevate HTTP API.')
    .version(CLI_VERSION, '-V, --version')
    .addOption(new Option('--server <url>', `the Elevate server (default: $ELEVATE_URL or ${DEFAULT_SERVER})`))
    .option('--json', 'machine-readable output on stdout (the API\'s JSON)')
    .showHelpAfterError('(run elevate --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) })
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${ENVIRONMENT_HELP}\n`);

  const run =
    <A extends unknown[]>(handler: (setup: ReturnType<typeof setUp>, ...args: A) => Promise<ExitCode>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const setup = setUp(ctx, command.optsWithGlobals<GlobalOptions>());
      report(await handler(setup, ...(args.slice(0, -1) as A)));
    };

  program
    .command('login')
    .description('sign in by the device flow (people), or with client credentials (service accounts), and cache the tokens')
    .option('--client-credentials', 'use ELEVATE_CLIENT_ID and ELEVATE_CLIENT_SECRET[_FILE] (client_secret_basic)')
    .action(run((setup, options: { clientCredentials?: boolean }) => login(setup, options)));

  program.command('logout').description('delete the cached tokens for the server').action(run((setup) => logout(setup)));

  program.command('scopes').description('list the scopes you may request').action(run((setup) => scopes(setup)));

  program
    .command('request')
    .description('ask for a scope for a while, with a reason; exits 0 when granted (or sent, without --wait)')
    .argument('<scope>', 'the scope, e.g. prod-db-admin')
    .argument('<duration>', 'how long, e.g. 15m, 1h, 1h30m')
    .argument('<reason...>', 'why (the rest of the line)')
    .option('--wait', 'wait for the decision and the grant')
    .option('--print-token', 'wait, then print only the token on stdout (implies --wait)')
    .option('--idempotency-key <key>', 'the key that makes a retry return the same request (generated when not given)', idempotencyKey)
    .action(run((setup, scope: string, duration: string, reason: string[], options: { wait?: boolean; printToken?: boolean; idempotencyKey?: string }) => request(setup, scope, duration, reason, options)));

  program
    .command('status')
    .description('show a request; the exit code says how it stands')
    .argument('<id>', 'the request id (req_…)')
    .option('--wait', 'wait until it is decided and, when approved, granted')
    .option('--print-token', 'wait, then print only the token on stdout (implies --wait)')
    .action(run((setup, id: string, options: { wait?: boolean; printToken?: boolean }) => status(setup, id, options)));

  program
    .command('verify')
    .description('verify with a multi-factor sign-in to receive the token of your approved request (signs in again when the server asks)')
    .argument('<id>', 'the request id (req_…)')
    .option('--print-token', 'print only the token on stdout')
    .action(run((setup, id: string, options: { printToken?: boolean }) => verify(setup, id, options)));

  program.command('queue').description('list the pending requests you may approve or deny').action(run((setup) => queue(setup)));

  program
    .command('approve')
    .description('approve a request')
    .argument('<id>', 'the request id (req_…)')
    .option('--comment <text>', 'a note for the requester and the audit trail')
    .action(run((setup, id: string, options: { comment?: string }) => approve(setup, id, options)));

  program
    .command('deny')
    .description('deny a request, saying why')
    .argument('<id>', 'the request id (req_…)')
    .requiredOption('--reason <text>', 'why (required)')
    .action(run((setup, id: string, options: { reason: string }) => deny(setup, id, options)));

  program
    .command('token')
    .description('print only the token of one of your active grants on stdout')
    .argument('<grant>', 'the grant id (grt_…)')
    .action(run((setup, grant: string) => token(setup, grant)));

  program
    .command('done')
    .description('end a grant now; its token is revoked')
    .argument('<grant>', 'the grant id (grt_…)')
    .action(run((setup, grant: string) => done(setup, grant)));

  program
    .command('extend')
    .description('ask to extend one of your active grants; reviewed like a request')
    .argument('<grant>', 'the grant id')
    .argument('<duration>', 'how much longer, e.g. 30m')
    .argument('[reason...]', 'why (default: the reason of the grant\'s request)')
    .action(run((setup, grant: string, duration: string, reason: string[]) => extend(setup, grant, duration, reason)));

  program
    .command('break-glass')
    .description('an emergency: take a scope at once without approval where it allows break-glass; announced and reviewed afterwards')
    .argument('<scope>', 'the scope')
    .argument('<duration>', 'how long, e.g. 30m')
    .argument('<reason...>', 'why (required)')
    .action(run((setup, scope: string, duration: string, reason: string[]) => breakGlass(setup, scope, duration, reason)));

  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after `elevate`) and resolves its exit code. Errors
 * become one line on stderr: a {@link CliError}'s message, commander's usage message, or for
 * anything unexpected its message alone (never a stack or a request that carried a token).
 */
export async function runElevate(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(ctx, (reported) => (code = reported));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through exitOverride too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      ctx.io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    if (ctx.signal.aborted) {
      ctx.io.stderr('Interrupted.\n');
      return EXIT.interrupted;
    }
    ctx.io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
