import type { ApiClient } from '../api-client.ts';
import type { ApiGrantToken } from '../api-types.ts';
import { segment, type CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson } from '../render.ts';

/** Fetches an active grant's token (requester only); the API audits it as delivered. */
export async function fetchGrantToken(api: ApiClient, grantId: string): Promise<ApiGrantToken> {
  return (await api.post<ApiGrantToken>(`/api/v1/grants/${segment(grantId)}/token`)).body;
}

/** `elevate token <grant>`: the token alone on stdout (with `--json`, the API's whole answer). */
export async function token({ ctx, api, json }: CommandSetup, grantId: string): Promise<ExitCode> {
  const answer = await fetchGrantToken(api, grantId);
  ctx.io.stdout(json ? formatJson(answer) : `${answer.access_token}\n`);
  return EXIT.ok;
}
