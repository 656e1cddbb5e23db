import type { ApiScope } from '../api-types.ts';
import type { CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson, formatScopes } from '../render.ts';

/** `elevate scopes`: what the caller may request, with limits, approvers and policy. */
export async function scopes({ ctx, api, json }: CommandSetup): Promise<ExitCode> {
  const { body } = await api.get<{ scopes: ApiScope[] }>('/api/v1/scopes');
  ctx.io.stdout(json ? formatJson(body) : formatScopes(body.scopes));
  return EXIT.ok;
}
