import type { ApiRequest } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest } from '../render.ts';

/** `elevate extend <grant> <duration> [reason…]`: asks to extend one of your active grants; the answer is the extension request. */
export async function extend({ ctx, api, json }: CommandSetup, grantId: string, duration: string, reason: string[]): Promise<ExitCode> {
  const text = reason.join(' ').trim();
  const { body } = await api.post<{ request: ApiRequest }>(`/api/v1/grants/${segment(grantId)}/extensions`, { body: { duration, ...(text === '' ? {} : { reason: text }) } });
  ctx.io.stdout(json ? formatJson(body) : formatRequest(body.request));
  return EXIT.ok;
}
