/**
 * Polls `condition` until it holds, for work that finishes after an HTTP answer (chat adapters
 * acknowledge first and act afterwards). Fails after `attempts` tries; asserts nothing about time.
 */
export async function eventually(condition: () => Promise<boolean>, attempts = 400): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}
