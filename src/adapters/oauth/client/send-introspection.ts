import { tokenIntrospection, type Configuration, type IntrospectionResponse } from 'openid-client';
import { OAuthError } from '../oauth-error.ts';
import { toOAuthError } from './to-oauth-error.ts';

/** RFC 7662 introspection of an access token; openid-client checks that `active` is a boolean. */
export async function sendIntrospection(configuration: Configuration, token: string): Promise<IntrospectionResponse> {
  if (typeof configuration.serverMetadata().introspection_endpoint !== 'string') {
    throw new OAuthError({ operation: 'introspection', reason: 'unsupported', cause: new Error('no introspection_endpoint in the metadata') });
  }
  try {
    return await tokenIntrospection(configuration, token, { token_type_hint: 'access_token' });
  } catch (error) {
    throw await toOAuthError(error, 'introspection');
  }
}
