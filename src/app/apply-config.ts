import type { AuditEventType } from '../domain/audit.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { diffConfig, type ConfigChange, type CurrentState, type DesiredPrincipal, type DesiredState } from '../domain/desired-state.ts';
import type { ChannelMapping, ChatIdentity, Principal } from '../domain/principal.ts';
import type { ScopeDefinition } from '../domain/scope.ts';
import type { StoreReader, StoreTx } from '../ports/store.ts';
import type { CoreDeps } from './deps.ts';

/** What `config plan` shows: the changes `config apply` would make, without making them. */
export async function planConfig(store: StoreReader, desired: DesiredState): Promise<ConfigChange[]> {
  return diffConfig(await readCurrentState(store), desired);
}

export interface ApplyConfigOptions {
  /** Who applies it (`config:<file>` or a principal id), recorded in every audit event. */
  actor: string;
  /** Identifies the file version (e.g. its SHA-256), recorded in the summary event. */
  source: { file: string; sha256: string };
}

/**
 * Brings the database to the desired state in one transaction, one audit event per change and
 * a summary event. The diff is computed inside the transaction under the configuration lock, so
 * what is applied is exactly what differed at that moment, even with several instances applying
 * the same file at once. Applying the same file twice changes nothing the second time.
 */
export async function applyConfig(deps: Pick<CoreDeps, 'store'> & { clock?: Clock }, desired: DesiredState, options: ApplyConfigOptions): Promise<ConfigChange[]> {
  const now = (deps.clock ?? systemClock).now();
  return deps.store.transaction(async (tx) => {
    // Instances that start together all apply the file: one at a time, and each diff is taken
    // after the previous apply committed, so only the first finds anything to change.
    await tx.lockConfiguration();
    const changes = diffConfig(await readCurrentState(tx), desired);
    if (changes.length === 0) return changes;
    // Order matters for references: drop links before what they point at, add targets before links.
    const ordered = [
      ...changes.filter((c) => c.action === 'remove' && (c.entity === 'mapping' || c.entity === 'identity')),
      ...changes.filter((c) => c.action !== 'remove' && (c.entity === 'principal' || c.entity === 'scope')),
      ...changes.filter((c) => c.action === 'remove' && (c.entity === 'principal' || c.entity === 'scope')),
      ...changes.filter((c) => c.action !== 'remove' && (c.entity === 'mapping' || c.entity === 'identity')),
    ];
    // Every row write first, then the audit events: the audit head is always the last lock taken,
    // which keeps lock order the same as every other use case (no deadlocks).
    for (const change of ordered) await applyChange(tx, change, now);
    for (const change of ordered) {
      await tx.appendAudit({ type: auditTypeOf(change), actor: options.actor, data: auditDataOf(change) });
    }
    await tx.appendAudit({
      type: 'admin.config_applied',
      actor: options.actor,
      data: {
        file: options.source.file,
        sha256: options.source.sha256,
        added: changes.filter((c) => c.action === 'add').length,
        changed: changes.filter((c) => c.action === 'change').length,
        removed: changes.filter((c) => c.action === 'remove').length,
      },
    });
    return changes;
  });
}

async function readCurrentState(store: StoreReader): Promise<CurrentState> {
  const [principals, identities, scopes, mappings] = await Promise.all([
    store.listPrincipals(),
    store.listIdentities(),
    store.listScopes(),
    store.listChannelMappings(),
  ]);
  return { principals, identities, scopes, mappings };
}

async function applyChange(tx: StoreTx, change: ConfigChange, now: Date): Promise<void> {
  const removing = change.action === 'remove';
  switch (change.entity) {
    case 'principal': {
      if (removing) await tx.deletePrincipal((change.before as Principal).id);
      else {
        const previous = change.before as Principal | null;
        // A new principal starts its dormancy clock now: never seen is as idle as it is old.
        await tx.putPrincipal({ ...(change.after as DesiredPrincipal), lastSeenAt: previous?.lastSeenAt ?? null, createdAt: previous?.createdAt ?? now });
      }
      return;
    }
    case 'identity': {
      const identity = (change.before ?? change.after) as ChatIdentity;
      if (removing || change.action === 'change') await tx.deleteIdentity(identity.platform, identity.userId);
      if (!removing) await tx.putIdentity(change.after as ChatIdentity);
      return;
    }
    case 'scope': {
      if (removing) await tx.deleteScope((change.before as ScopeDefinition).name);
      else await tx.putScope(change.after as ScopeDefinition);
      return;
    }
    case 'mapping': {
      if (removing) await tx.removeChannelMapping(change.before as ChannelMapping);
      else await tx.addChannelMapping(change.after as ChannelMapping);
      return;
    }
  }
}

function auditTypeOf(change: ConfigChange): AuditEventType {
  const removing = change.action === 'remove';
  switch (change.entity) {
    case 'principal':
      return removing ? 'admin.principal_removed' : 'admin.principal_changed';
    case 'identity':
      return removing ? 'identity.unlinked' : 'identity.linked';
    case 'scope':
      return removing ? 'admin.scope_removed' : 'admin.scope_changed';
    case 'mapping':
      return removing ? 'admin.mapping_removed' : 'admin.mapping_added';
  }
}

function auditDataOf(change: ConfigChange): Record<string, unknown> {
  return {
    action: change.action,
    key: change.key,
    ...(change.action === 'change' ? { fields: change.fields } : { value: stripVolatile(change.after ?? change.before) }),
  };
}

function stripVolatile(value: unknown): unknown {
  if (value && typeof value === 'object' && 'lastSeenAt' in value) {
    const { lastSeenAt: _seen, createdAt: _created, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}
