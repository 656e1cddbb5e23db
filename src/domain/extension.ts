import { formatDuration } from './duration.ts';
import { ElevateError } from './errors.ts';
import type { Grant } from './grant.ts';
import { extendPolicyOf, type ScopeDefinition } from './scope.ts';

/** What an extension would make of a grant: its new end and the elevation's whole length. */
export interface ExtensionWindow {
  /** The old grant's end plus the extension: the new grant runs from its issuance until then. */
  endsAt: Date;
  /** From the start of the first grant of the elevation to the new end, in seconds. */
  totalSec: number;
}

/**
 * Checks that `grant` (of `scope`, its elevation having started at `elevationStartedAt`) may be
 * extended by `durationSec` now, and says what the extension would make of it. Pure: refusals
 * are errors with codes, in the order a person would want to hear them.
 */
export function checkExtension(input: { scope: ScopeDefinition; grant: Grant; elevationStartedAt: Date; durationSec: number; now: Date }): ExtensionWindow {
  const { scope, grant, now, durationSec } = input;
  const details = { grantId: grant.id, scope: scope.name };
  const rules = extendPolicyOf(scope);
  if (!rules.allowed) {
    throw new ElevateError('extension_not_allowed', `Grants of ${scope.name} cannot be extended; ask for a new elevation when this one ends.`, { details });
  }
  if (grant.status !== 'active' || grant.endsAt.getTime() <= now.getTime()) {
    throw new ElevateError('grant_inactive', `Grant ${grant.id} is no longer active, so there is nothing to extend; ask for a new elevation.`, { details });
  }
  const window = extensionWindow(grant, input.elevationStartedAt, durationSec);
  if (window.totalSec > rules.maxTotalSec) {
    const room = Math.max(0, rules.maxTotalSec - (grant.endsAt.getTime() - input.elevationStartedAt.getTime()) / 1000);
    throw new ElevateError(
      'duration_too_long',
      `Extending by ${formatDuration(durationSec)} would make ${formatDuration(window.totalSec)} in total, and ${scope.name} allows at most ${formatDuration(rules.maxTotalSec)}` +
        (room >= 60 ? `; extend by ${formatDuration(Math.floor(room / 60) * 60)} or less.` : '; ask for a new elevation when this one ends.'),
      { details: { ...details, totalSec: window.totalSec, maxTotalSec: rules.maxTotalSec } },
    );
  }
  return window;
}

/** The new end (old end + extension) and the total from the elevation's start. */
export function extensionWindow(grant: Grant, elevationStartedAt: Date, durationSec: number): ExtensionWindow {
  const endsAt = new Date(grant.endsAt.getTime() + durationSec * 1000);
  return { endsAt, totalSec: Math.round((endsAt.getTime() - elevationStartedAt.getTime()) / 1000) };
}
