import type { AuthorizationServerProbe } from '../../ports/authorization-server-probe.ts';

type Fetch = (url: string, init: { signal: AbortSignal; redirect: 'manual'; headers: Record<string, string> }) => Promise<Response>;

/**
 * Probes the AS the way discovery found it: its OpenID metadata (`<issuer>/.well-known/
 * openid-configuration`), else its RFC 8414 metadata, must answer 200 with JSON naming the same
 * issuer. Cheap for the AS (a static document, no client authentication, no token) and proof
 * that it is up and is the server Elevate was configured with. Failures say what went wrong in
 * a sentence; the response body is never repeated.
 */
export class MetadataProbe implements AuthorizationServerProbe {
  constructor(
    readonly issuer: string,
    private readonly fetchImplementation: Fetch = fetch,
  ) {}

  async probe(signal: AbortSignal): Promise<void> {
    const first = await this.look(openIdLocation(this.issuer), signal);
    if (first === 'ok') return;
    const second = await this.look(rfc8414Location(this.issuer), signal);
    if (second === 'ok') return;
    throw new Error(first);
  }

  private async look(url: string, signal: AbortSignal): Promise<'ok' | string> {
    let answer: Response;
    try {
      answer = await this.fetchImplementation(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      return `cannot connect${typeof code === 'string' ? ` (${code})` : ''}`;
    }
    if (answer.status !== 200) {
      await answer.body?.cancel();
      return `its metadata answered HTTP ${answer.status}`;
    }
    const document = (await answer.json().catch(() => null)) as { issuer?: unknown } | null;
    if (document === null || typeof document !== 'object') return 'its metadata is not JSON';
    if (document.issuer !== this.issuer) return 'its metadata names another issuer';
    return 'ok';
  }
}

function openIdLocation(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

/** RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path. */
function rfc8414Location(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}
