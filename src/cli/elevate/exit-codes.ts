/**
 * The CLI's exit codes, one per outcome a script may want to branch on. They are part of the
 * CLI's interface (documented in `elevate --help` and the README): never renumber one.
 */
export const EXIT = {
  /** Granted, or the command did what it was asked. */
  ok: 0,
  /** The server refused the call (the message says why) or failed. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing argument. */
  usage: 2,
  /**
   * The request was denied (by an approver or by policy), or refused because its scope needs a
   * multi-factor verification that a service account cannot give (`step_up_unavailable`).
   */
  denied: 3,
  /** The request expired before a decision, or its grant has already ended. */
  expired: 4,
  /** The request was cancelled. */
  cancelled: 5,
  /**
   * Not logged in, the login expired or was refused, or the server does not accept the token;
   * also a step-up (RFC 9470) the login could not satisfy: the new sign-in was challenged again,
   * or the login is a service account's, which cannot sign in again interactively.
   */
  auth: 6,
  /** The server or its authorization server could not be reached. */
  unreachable: 7,
  /** Stopped by Ctrl-C (SIGINT), the shell's convention of 128 + 2. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as `elevate --help` lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  granted, or done
  1  the server refused the call (the message says why) or failed
  2  usage error (unknown command or option, missing argument)
  3  the request was denied, or the scope refuses service accounts (multi-factor verification)
  4  the request expired, or its grant has already ended
  5  the request was cancelled
  6  authentication: not logged in, login expired or refused, or a step-up sign-in not satisfied
  7  the Elevate server or its authorization server is unreachable
  130  interrupted (Ctrl-C); a request already sent stays as it is`;
