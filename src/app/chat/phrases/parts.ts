/**
 * A sentence Elevate says in chat, as parts a platform sets in its own markup: Slack mrkdwn with
 * escaping and `<!date>`, Adaptive Card text runs. The words are written once, here; renderers
 * decide only how each kind of part looks. Text parts may hold user input (names, notes): every
 * renderer treats them as untrusted.
 */
export type Part =
  | { kind: 'text'; text: string }
  /** Said with emphasis (bold where the platform has it). */
  | { kind: 'strong'; text: string }
  /** An id a person may copy into a command. */
  | { kind: 'code'; text: string }
  | { kind: 'date'; at: Date }
  | { kind: 'icon'; icon: Icon }
  | { kind: 'line_break' }
  /**
   * A person the platform may notify by name: `userId` is their account on the platform the
   * phrase is rendered for (a Slack mention), null when they have none there (just the name).
   */
  | { kind: 'mention'; name: string; userId: string | null };

export type Phrase = Part[];

/** What an icon stands for; each platform picks its emoji. */
export type Icon = 'pending' | 'denied' | 'policy_denied' | 'expired' | 'cancelled' | 'approved' | 'key' | 'warning' | 'lock' | 'ending';

export const text = (value: string): Part => ({ kind: 'text', text: value });
export const strong = (value: string): Part => ({ kind: 'strong', text: value });
export const code = (value: string): Part => ({ kind: 'code', text: value });
export const date = (at: Date): Part => ({ kind: 'date', at });
export const icon = (name: Icon): Part => ({ kind: 'icon', icon: name });
export const lineBreak: Part = { kind: 'line_break' };
export const mention = (name: string, userId: string | null): Part => ({ kind: 'mention', name, userId });

/** `1 approval`, `2 approvals`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
