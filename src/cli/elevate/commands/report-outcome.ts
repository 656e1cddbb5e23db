import type { ApiRequest } from '../api-types.ts';
import type { CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest, describeState } from '../render.ts';
import { waitProgress } from '../progress.ts';
import { exitCodeForRequest, isGranted } from '../request-outcome.ts';
import { verifyIfRequester } from '../verify-request.ts';
import { waitForRequest } from '../wait-for-request.ts';
import { fetchGrantToken } from './token.ts';

/** `--wait` and `--print-token` as `request` and `status` both take them; `--print-token` implies `--wait`. */
export interface WaitOptions {
  wait?: boolean;
  printToken?: boolean;
}

/**
 * Waits when asked (showing progress on stderr), then reports the request's outcome. A request
 * that reaches `verifying` (its scope needs the requester's multi-factor sign-in) is verified on
 * the way with this login's sign-in; the server's RFC 9470 challenge, when that sign-in is too old
 * or too weak, makes the CLI sign in again first.
 */
export async function waitAndReport(setup: CommandSetup, request: ApiRequest, options: WaitOptions): Promise<ExitCode> {
  const printToken = Boolean(options.printToken);
  if (!options.wait && !printToken) return reportOutcome(setup, request, false);
  const { ctx, api } = setup;
  const settled = await waitForRequest(ctx, api, request, waitProgress(ctx.io, ctx.now, request), verifyIfRequester(api));
  return reportOutcome(setup, settled, printToken);
}

/**
 * Ends `request` and `status`: with `--print-token` the grant's token alone on stdout (and
 * the outcome on stderr when there is no token); otherwise the request on stdout. The exit
 * code says how the request stands.
 */
export async function reportOutcome({ ctx, api, json }: CommandSetup, request: ApiRequest, printToken: boolean): Promise<ExitCode> {
  if (!printToken) ctx.io.stdout(json ? formatJson({ request }) : formatRequest(request));
  else if (isGranted(request) && request.grant) ctx.io.stdout(`${(await fetchGrantToken(api, request.grant.id)).access_token}\n`);
  else ctx.io.stderr(`${request.id}: ${describeState(request)}\n`);
  return exitCodeForRequest(request);
}
