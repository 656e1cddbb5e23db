import { ElevateError } from '../domain/errors.ts';
import { mayReadAuditTrail } from '../domain/principal.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';
import { exportAuditTrail } from './export-audit-trail.ts';

/** The audit trail as JSON lines after `afterSeq`, for admins and auditors (the same lines as `npm run audit -- export`). */
export async function readAuditTrail(deps: { store: StoreReader }, actor: Actor, options: { afterSeq: number; limit: number }): Promise<string[]> {
  const person = await resolveActor(deps.store, actor);
  if (!mayReadAuditTrail(person)) throw new ElevateError('forbidden', 'Only Elevate admins and auditors can read the audit trail.', { details: { actor: person.id } });
  const lines: string[] = [];
  for await (const line of exportAuditTrail(deps.store, { afterSeq: options.afterSeq, pageSize: Math.min(options.limit, 1000) })) {
    lines.push(line);
    if (lines.length >= options.limit) break;
  }
  return lines;
}
