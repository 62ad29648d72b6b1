/**
 * Computed permission values kept in the web process, keyed by user and
 * valid for one permission epoch (migration 0022: the counter moves with
 * any change they depend on, and the session lookup reads it). A request
 * only ever uses the epoch its own session lookup saw, so a change counts
 * from the next request in every process, as without the cache. Entries
 * also end when the user's earliest membership expiry passes, which moves
 * no counter.
 */
export interface PermissionValuesCache {
  /** The cache as one request may use it: the epoch its session lookup read. */
  at(epoch: number): EpochPermissionValues;
}

export interface EpochPermissionValues {
  get(userId: string): Record<string, boolean> | null;
  /** `validUntil`: the earliest expiry among the memberships counted, if any. */
  set(userId: string, values: Record<string, boolean>, validUntil: Date | null): void;
}

type Entry = { values: Record<string, boolean>; until: number };

export function createPermissionValuesCache(maxEntries = 10_000): PermissionValuesCache {
  let epoch = -1;
  const entries = new Map<string, Entry>();
  return {
    at(seen) {
      // A newer epoch empties the cache; a request that read an older one (a change landed meanwhile) neither reads nor writes.
      if (seen > epoch) {
        epoch = seen;
        entries.clear();
      }
      return {
        get(userId) {
          const entry = seen === epoch ? entries.get(userId) : undefined;
          if (!entry) return null;
          if (entry.until <= Date.now()) {
            entries.delete(userId);
            return null;
          }
          return entry.values;
        },
        set(userId, values, validUntil) {
          if (seen !== epoch) return;
          // Bounded by dropping the oldest entry (Map keeps insertion order).
          if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
          entries.set(userId, { values, until: validUntil ? validUntil.getTime() : Infinity });
        },
      };
    },
  };
}
