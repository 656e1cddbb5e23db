import type { CoreDeps } from '../deps.ts';
import { hashSecret } from '../step-up/secrets.ts';

/** Sign-out: the session is ended for good (its cookie, replayed, opens nothing). Ending it twice does nothing. */
export async function endWebSession(deps: Pick<CoreDeps, 'store' | 'clock'>, secret: string): Promise<boolean> {
  const idHash = hashSecret(secret);
  const session = await deps.store.getWebSession(idHash);
  if (!session) return false;
  return deps.store.transaction(async (tx) => {
    if (!(await tx.endWebSession(idHash, deps.clock.now()))) return false;
    await tx.appendAudit({ type: 'web.signed_out', actor: session.principalId });
    return true;
  });
}
