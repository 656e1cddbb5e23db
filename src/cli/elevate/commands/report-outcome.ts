import type { ApiRequest } from '../api-types.ts';
import type { CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest, describeState } from '../render.ts';
import { exitCodeForRequest, isGranted } from '../request-outcome.ts';
import { fetchGrantToken } from './token.ts';

/**
 * Ends `request` and `status`: with `--print-token` the grant's token alone on stdout (and
 * the outcome on stderr when there is no token); otherwise the request on stdout. The exit
 * code says how the request stands.
 */
export async function reportOutcome({ ctx, api, json }: CommandSetup, request: ApiRequest, printToken: boolean): Promise<ExitCode> {
  if (printToken) {
    if (isGranted(request) && request.grant) {
      ctx.io.stdout(`${(await fetchGrantToken(api, request.grant.id)).access_token}\n`);
      return exitCodeForRequest(request);
    }
    ctx.io.stderr(`${request.id}: ${describeState(request)}\n`);
    return exitCodeForRequest(request);
  }
  ctx.io.stdout(json ? formatJson({ request }) : formatRequest(request));
  return exitCodeForRequest(request);
}
