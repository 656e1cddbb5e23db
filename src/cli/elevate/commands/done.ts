import type { ApiGrant } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatGrant, formatJson } from '../render.ts';

/** `elevate done <grant>`: ends the grant now (its token is revoked at the AS). */
export async function done({ ctx, api, json }: CommandSetup, grantId: string): Promise<ExitCode> {
  const { body } = await api.post<{ grant: ApiGrant }>(`/api/v1/grants/${segment(grantId)}/end`);
  ctx.io.stdout(json ? formatJson(body) : formatGrant(body.grant));
  return EXIT.ok;
}
