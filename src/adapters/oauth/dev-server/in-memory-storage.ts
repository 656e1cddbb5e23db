/** What oidc-provider stores per model instance (tokens, clients' cached data, …). */
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

interface Entry {
  payload: Payload;
  expiresAt: number;
}

/**
 * oidc-provider's storage adapter for the development AS: one process, in memory, entries dropped
 * at expiry. Written here rather than using the library's quick-start adapter, which is capped at
 * 1000 entries (an evicted token would silently turn inactive) and prints a console warning that
 * bypasses Elevate's logger. Everything is lost at restart, which is why this AS is
 * development-only.
 */
export function inMemoryStorage(now: () => number = Date.now): { adapter: (model: string) => InMemoryAdapter; clear(): void } {
  const entries = new ExpiringEntries(now);
  return { adapter: (model) => new InMemoryAdapter(model, entries, now), clear: () => entries.clear() };
}

/** How often expired entries are swept out; lookups ignore them in between. */
const PRUNE_INTERVAL_MS = 1000;

/**
 * The entries of every model, with expired ones dropped in one scan at most once a second.
 * Scanning on every write made each write cost time in proportion to everything stored, which
 * at a sweeper's pace (tens of thousands of tokens and assertion ids) was most of the AS's work.
 */
export class ExpiringEntries extends Map<string, Entry> {
  private nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {
    super();
  }

  pruneIfDue(): void {
    const now = this.now();
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + PRUNE_INTERVAL_MS;
    for (const [key, entry] of this) if (entry.expiresAt <= now) this.delete(key);
  }
}

export class InMemoryAdapter {
  constructor(
    private readonly model: string,
    private readonly entries: ExpiringEntries,
    private readonly now: () => number,
  ) {}

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    this.entries.pruneIfDue();
    const expiresAt = typeof expiresIn === 'number' ? this.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.entries.set(this.key(id), { payload, expiresAt });
  }

  async find(id: string): Promise<Payload | undefined> {
    const entry = this.entries.get(this.key(id));
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.findWhere((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.findWhere((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const entry = this.entries.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(this.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.payload.grantId === grantId) this.entries.delete(key);
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  private findWhere(matches: (payload: Payload) => boolean): Payload | undefined {
    const prefix = `${this.model}:`;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix) && entry.expiresAt > now && matches(entry.payload)) return entry.payload;
    }
    return undefined;
  }
}
