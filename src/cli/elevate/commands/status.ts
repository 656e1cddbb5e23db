import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { waitProgress } from '../progress.ts';
import { waitForRequest } from '../wait-for-request.ts';
import { reportOutcome } from './report-outcome.ts';

/** `elevate status <id> [--wait] [--print-token]`: where a request stands; the exit code says it too. */
export async function status(setup: CommandSetup, id: string, options: { wait?: boolean; printToken?: boolean }): Promise<ExitCode> {
  const { ctx, api } = setup;
  const { body } = await api.get<{ request: ApiRequest }>(`/api/v1/requests/${segment(id)}`);
  const printToken = Boolean(options.printToken);
  if (!options.wait && !printToken) return reportOutcome(setup, body.request, false);
  const settled = await waitForRequest(ctx, api, body.request, waitProgress(ctx.io, ctx.now, body.request));
  return reportOutcome(setup, settled, printToken);
}
