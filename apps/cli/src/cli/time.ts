import { UsageError } from './errors.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A moment from the command line: a duration from now (`90m`, `12h`, `7d`,
 * `2w`) or an ISO 8601 date or date-time (`2027-01-31`, `2027-01-31T18:00+01:00`).
 * Returns a full ISO date-time; a bare date means midnight UTC.
 */
export function parseWhen(value: string, flag: string, now = Date.now()): string {
  const v = value.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(v);
  if (rel) return new Date(now + Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]!).toISOString();
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(v)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v) || v.length === 10;
    const t = Date.parse(hasZone ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  throw new UsageError(`${flag} must be a duration like 12h, 7d, 2w or an ISO date like 2027-01-31 (got "${value}")`);
}
