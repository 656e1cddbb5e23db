import type { ApiRequest } from '../api-types.ts';
import type { CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequests } from '../render.ts';

/** `elevate queue`: the pending requests the caller may approve or deny. */
export async function queue({ ctx, api, json }: CommandSetup): Promise<ExitCode> {
  const { body } = await api.get<{ requests: ApiRequest[] }>('/api/v1/requests', { query: { status: 'pending', role: 'approver' } });
  ctx.io.stdout(json ? formatJson(body) : formatRequests(body.requests, 'Nothing is waiting for your review.'));
  return EXIT.ok;
}
