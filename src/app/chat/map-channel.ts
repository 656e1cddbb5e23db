import { ElevateError } from '../../domain/errors.ts';
import type { ChannelMapping } from '../../domain/principal.ts';
import { describeActor, type Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { requireAdmin } from './require-admin.ts';

export type MappingChange = { mapping: ChannelMapping; changed: boolean };

/**
 * An admin maps a reviewer channel to a scope from chat. The mapping is the same entity the
 * configuration file declares, audited with the same event (`admin.mapping_added`); the file
 * stays the source of truth, so the next `config apply` removes mappings it does not list.
 */
export async function mapChannel(deps: Pick<CoreDeps, 'store'>, input: { actor: Actor; mapping: ChannelMapping }): Promise<MappingChange> {
  const admin = await requireAdmin(deps.store, input.actor);
  const { mapping } = input;
  return deps.store.transaction(async (tx) => {
    if (!(await tx.getScope(mapping.scopeName))) {
      const known = (await tx.listScopes()).map((s) => s.name);
      throw new ElevateError('unknown_scope', `There is no scope called "${mapping.scopeName.slice(0, 64)}". Scopes: ${known.join(', ') || 'none yet'}.`, {
        details: { scope: mapping.scopeName.slice(0, 64) },
      });
    }
    const changed = await tx.addChannelMapping(mapping);
    if (changed) await tx.appendAudit({ type: 'admin.mapping_added', actor: admin.id, data: mappingAuditData('add', mapping, input.actor) });
    return { mapping, changed };
  });
}

/** An admin removes a reviewer channel mapping from chat (audited as `admin.mapping_removed`). */
export async function unmapChannel(deps: Pick<CoreDeps, 'store'>, input: { actor: Actor; mapping: ChannelMapping }): Promise<MappingChange> {
  const admin = await requireAdmin(deps.store, input.actor);
  const { mapping } = input;
  return deps.store.transaction(async (tx) => {
    const changed = await tx.removeChannelMapping(mapping);
    if (changed) await tx.appendAudit({ type: 'admin.mapping_removed', actor: admin.id, data: mappingAuditData('remove', mapping, input.actor) });
    return { mapping, changed };
  });
}

/**
 * An admin stops sending one scope's requests (or, without a scope, every scope's) to a channel.
 * Returns the scopes that no longer go there; empty when the channel reviewed none of them.
 */
export async function unmapChannelScopes(
  deps: Pick<CoreDeps, 'store'>,
  input: { actor: Actor; platform: ChannelMapping['platform']; channelId: string; scopeName: string | null },
): Promise<string[]> {
  await requireAdmin(deps.store, input.actor);
  const here = await deps.store.listChannelMappings({ platform: input.platform, channelId: input.channelId });
  const targets = input.scopeName === null ? here : here.filter((mapping) => mapping.scopeName === input.scopeName);
  const removed: string[] = [];
  for (const mapping of targets) if ((await unmapChannel(deps, { actor: input.actor, mapping })).changed) removed.push(mapping.scopeName);
  return removed;
}

/** The same shape `config apply` records, plus who did it from where. */
function mappingAuditData(action: 'add' | 'remove', mapping: ChannelMapping, actor: Actor): Record<string, unknown> {
  return { action, key: `${mapping.platform}:${mapping.channelId}:${mapping.scopeName}`, value: mapping, ...describeActor(actor) };
}
