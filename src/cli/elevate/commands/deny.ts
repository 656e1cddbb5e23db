import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest } from '../render.ts';

/** `elevate deny <id> --reason …` (the reason is required, as in chat). */
export async function deny({ ctx, api, json }: CommandSetup, id: string, options: { reason: string }): Promise<ExitCode> {
  const { body } = await api.post<{ request: ApiRequest }>(`/api/v1/requests/${segment(id)}/deny`, { body: { reason: options.reason } });
  ctx.io.stdout(json ? formatJson(body) : formatRequest(body.request));
  return EXIT.ok;
}
