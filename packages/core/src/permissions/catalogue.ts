import { z } from 'zod';
import { AppError } from '../errors.ts';

/** One permission key as admins see it in the template and on groups. */
export interface PermissionEntry {
  key: string;
  /** The part before the first dot: `files`, `profile`, or a deploying organisation's namespace. */
  area: string;
  label: string;
  /** What users have when the template says nothing about the key. */
  default: boolean;
}

export interface PermissionCatalogue {
  entries: readonly PermissionEntry[];
  byKey: ReadonlyMap<string, PermissionEntry>;
}

/** Roster's own keys. All default to true: nothing changes until an admin changes the template. */
export const ROSTER_PERMISSIONS: readonly PermissionEntry[] = [
  { key: 'files.upload', area: 'files', label: 'Upload files', default: true },
  { key: 'files.download', area: 'files', label: 'Download files', default: true },
  { key: 'profile.editName', area: 'profile', label: 'Change their own name', default: true },
  { key: 'profile.editAvatar', area: 'profile', label: 'Change their own avatar', default: true },
  { key: 'users.search', area: 'users', label: 'Search other users (pickers)', default: true },
  { key: 'apiKeys.create', area: 'apiKeys', label: 'Create API keys', default: true },
];

export type RosterPermission = 'files.upload' | 'files.download' | 'profile.editName' | 'profile.editAvatar' | 'users.search' | 'apiKeys.create';

/** The syntax of a full key (`area.name…`); what exists is the catalogue's business. */
export const PERMISSION_KEY = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$/;
export const permissionKeySchema = z.string().min(3).max(120).regex(PERMISSION_KEY, 'Not a permission key (area.name)');
/** Grants, denies and checks name at most this many keys at once. */
export const MAX_KEYS = 500;
export const permissionKeysSchema = z.array(permissionKeySchema).max(MAX_KEYS);

export function buildCatalogue(extra: readonly PermissionEntry[] = []): PermissionCatalogue {
  const entries = [...ROSTER_PERMISSIONS, ...extra];
  const byKey = new Map<string, PermissionEntry>();
  for (const e of entries) {
    if (byKey.has(e.key)) throw new Error(`Permission key ${e.key} is declared twice`);
    byKey.set(e.key, e);
  }
  return { entries, byKey };
}

/** Roster's keys alone: what an instance without ROSTER_PERMISSIONS_FILE (and a test) uses. */
export const rosterCatalogue = buildCatalogue();

/** Unknown keys are the caller's mistake: BAD_REQUEST (UNKNOWN_PERMISSION) naming them, under `field`. */
export function assertKnownKeys(catalogue: PermissionCatalogue, keys: Iterable<string>, field = 'keys'): void {
  const unknown = [...new Set(keys)].filter((k) => !catalogue.byKey.has(k));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 10).join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '');
  throw new AppError('UNKNOWN_PERMISSION', `Unknown permission key${unknown.length === 1 ? '' : 's'}: ${shown}`, {
    [field]: [`Unknown: ${shown}`],
  });
}
