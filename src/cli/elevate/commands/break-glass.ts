import type { ApiRequest } from '../api-types.ts';
import type { CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatRequest } from '../render.ts';

/**
 * `elevate break-glass <scope> <duration> <reason…>`: access at once, without approvers, where the
 * scope allows it; announced in its channels and reviewed afterwards. `elevate token <grant>` then
 * prints the token.
 */
export async function breakGlass({ ctx, api, json }: CommandSetup, scope: string, duration: string, reason: string[]): Promise<ExitCode> {
  const { body } = await api.post<{ request: ApiRequest }>('/api/v1/break-glass', { body: { scope, duration, reason: reason.join(' ') } });
  ctx.io.stdout(json ? formatJson(body) : formatRequest(body.request));
  if (!json) ctx.io.stderr('Break-glass: announced in the scope\'s channels; an approver will review it.\n');
  return EXIT.ok;
}
