import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { verifyRequest } from '../verify-request.ts';
import { reportOutcome, type WaitOptions } from './report-outcome.ts';

/**
 * `elevate verify <id> [--print-token]`: the requester of a request waiting for a multi-factor
 * verification gives it with this login's sign-in (signing in again when the server asks for a
 * fresher or stronger one), and the token is issued.
 */
export async function verify(setup: CommandSetup, id: string, options: Pick<WaitOptions, 'printToken'>): Promise<ExitCode> {
  const { body } = await setup.api.get<{ request: ApiRequest }>(`/api/v1/requests/${segment(id)}`);
  const verified = await verifyRequest(setup.api, body.request);
  return reportOutcome(setup, verified, Boolean(options.printToken));
}
