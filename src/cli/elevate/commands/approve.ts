import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest } from '../render.ts';

/** `elevate approve <id> [--comment …]`. */
export async function approve({ ctx, api, json }: CommandSetup, id: string, options: { comment?: string }): Promise<ExitCode> {
  const { body } = await api.post<{ request: ApiRequest }>(`/api/v1/requests/${segment(id)}/approve`, {
    body: options.comment === undefined ? {} : { comment: options.comment },
  });
  ctx.io.stdout(json ? formatJson(body) : formatRequest(body.request));
  return EXIT.ok;
}
