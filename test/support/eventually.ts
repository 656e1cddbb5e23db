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

/** Polls `find` until it returns a value (not undefined), and returns it; as {@link eventually} otherwise. */
export async function eventuallyFound<T>(find: () => Promise<T | undefined>, attempts = 400): Promise<T> {
  let found: T | undefined;
  await eventually(async () => (found = await find()) !== undefined, attempts);
  return found as T;
}
