import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { waitAndReport, type WaitOptions } from './report-outcome.ts';

/** `elevate status <id> [--wait] [--print-token]`: where a request stands; the exit code says it too. */
export async function status(setup: CommandSetup, id: string, options: WaitOptions): Promise<ExitCode> {
  const { body } = await setup.api.get<{ request: ApiRequest }>(`/api/v1/requests/${segment(id)}`);
  return waitAndReport(setup, body.request, options);
}
