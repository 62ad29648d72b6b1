/** What an update changed, for the audit row: only the fields that differ, before and after (secrets are redacted on write). */
export interface FieldDiff {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

const plain = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

/** Compares `keys` of two snapshots; null when nothing changed. */
export function fieldDiff<T extends object>(before: T, after: T, keys: readonly (keyof T & string)[]): FieldDiff | null {
  const diff: FieldDiff = { before: {}, after: {} };
  for (const key of keys) {
    const b = plain(before[key]);
    const a = plain(after[key]);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    diff.before[key] = b;
    diff.after[key] = a;
  }
  return Object.keys(diff.after).length ? diff : null;
}

/** The snapshot of `keys` of an entity now, to diff against after the change. */
export function snapshot<T extends object>(entity: T, keys: readonly (keyof T & string)[]): T {
  const out = {} as T;
  for (const key of keys) out[key] = plain(entity[key]) as T[keyof T & string];
  return out;
}
