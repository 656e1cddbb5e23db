import type { ApiClient } from './api-client.ts';
import type { ApiRequest } from './api-types.ts';
import { ApiProblemError } from './problem.ts';

/**
 * `POST /api/v1/requests/{id}/verification`: the requester verifies an approved request with the
 * sign-in behind the CLI's token, and the server issues the token. When that sign-in is too old
 * or too weak, the server's RFC 9470 challenge makes the client sign in again and send it again.
 */
export async function verifyRequest(api: ApiClient, request: ApiRequest): Promise<ApiRequest> {
  const { body } = await api.post<{ request: ApiRequest }>(`/api/v1/requests/${encodeURIComponent(request.id)}/verification`);
  return body.request;
}

/**
 * The verification a waiting command offers: sent once when the request reaches `verifying`.
 * Someone who is not the requester (an approver following the request) is refused with 403 and
 * simply goes on waiting: only the requester can verify.
 */
export function verifyIfRequester(api: ApiClient): (request: ApiRequest) => Promise<ApiRequest> {
  return async (request) => {
    try {
      return await verifyRequest(api, request);
    } catch (error) {
      if (error instanceof ApiProblemError && error.problem.status === 403) return request;
      throw error;
    }
  };
}
