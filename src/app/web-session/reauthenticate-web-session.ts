import { ElevateError } from '../../domain/errors.ts';
import type { AuthenticationEvidence } from '../../domain/step-up.ts';
import type { CoreDeps } from '../deps.ts';
import { hashSecret } from '../step-up/secrets.ts';

/**
 * A step-up inside a session: the new sign-in replaces the session's evidence, but only when the
 * provider vouched for the same person. Signing in as somebody else in the middle of an approval
 * is refused, and the session keeps its old evidence.
 */
export async function reauthenticateWebSession(deps: Pick<CoreDeps, 'store' | 'clock'>, secret: string, evidence: AuthenticationEvidence): Promise<void> {
  const idHash = hashSecret(secret);
  const session = await deps.store.getWebSession(idHash);
  if (!session || session.endedAt !== null) throw new ElevateError('unauthenticated', 'Your dashboard session has ended. Sign in again.');
  if (evidence.subject !== session.principalId) {
    throw new ElevateError('step_up_refused', `You are signed in to the dashboard as ${session.principalId} but verified as somebody else. Verify as ${session.principalId}.`, {
      details: { reason: 'another_person' },
    });
  }
  const changed = await deps.store.transaction(async (tx) => {
    if (!(await tx.setWebSessionEvidence(idHash, evidence))) return false;
    await tx.appendAudit({ type: 'web.reauthenticated', actor: session.principalId, data: { acr: evidence.acr, amr: evidence.amr } });
    return true;
  });
  if (!changed) throw new ElevateError('unauthenticated', 'Your dashboard session has ended. Sign in again.');
}
