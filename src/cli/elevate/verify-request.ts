import type { ApiClient } from './api-client.ts';
import type { ApiRequest } from './api-types.ts';

/**
 * `POST /api/v1/requests/{id}/verification`: the requester verifies an approved request with the
 * sign-in behind the CLI's token, and the server issues the token. When that sign-in is too old
 * or too weak, the server's RFC 9470 challenge makes the client sign in again and send it again.
 */
export async function verifyRequest(api: ApiClient, request: ApiRequest): Promise<ApiRequest> {
  const { body } = await api.post<{ request: ApiRequest }>(`/api/v1/requests/${encodeURIComponent(request.id)}/verification`);
  return body.request;
}
