import fs from 'node:fs';
import { z } from 'zod';
import { buildCatalogue, ROSTER_PERMISSIONS, type PermissionCatalogue, type PermissionEntry } from './catalogue.ts';

const ROSTER_AREAS = new Set(ROSTER_PERMISSIONS.map((e) => e.area));

const NAMESPACE = /^[a-z][a-zA-Z0-9_-]{0,39}$/;
const KEY_NAME = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
const declared = z.union([z.boolean(), z.object({ default: z.boolean(), label: z.string().trim().min(1).max(200).optional() }).strict()], {
  error: 'give true, false or {"default": true|false, "label": "…"}',
});

/**
 * ROSTER_PERMISSIONS_FILE: JSON, namespace → key → default (or `{default,
 * label}`), e.g. `{"wiki": {"pages.edit": true, "pages.delete": {"default":
 * false, "label": "Delete pages"}}}` declares `wiki.pages.edit` and
 * `wiki.pages.delete`. Names are checked after the shape, so each refusal
 * says what is wrong with which name.
 */
export const permissionsFileSchema = z.record(z.string(), z.record(z.string(), declared)).superRefine((file, ctx) => {
  if (Object.keys(file).length > 100) ctx.addIssue({ code: 'custom', message: 'at most 100 namespaces' });
  for (const [ns, keys] of Object.entries(file)) {
    if (!NAMESPACE.test(ns))
      ctx.addIssue({ code: 'custom', path: [ns], message: 'a namespace is a lower-case letter, then up to 39 letters, digits, _ or -' });
    else if (ROSTER_AREAS.has(ns)) ctx.addIssue({ code: 'custom', path: [ns], message: 'this namespace belongs to Roster' });
    for (const key of Object.keys(keys))
      if (!KEY_NAME.test(key) || key.length > 80)
        ctx.addIssue({ code: 'custom', path: [ns, key], message: 'a key is letters, digits, _ and -, in dot-separated parts, at most 80 characters' });
  }
});

export class PermissionsFileError extends Error {
  constructor(file: string, detail: string) {
    super(`ROSTER_PERMISSIONS_FILE (${file}) is not valid: ${detail}`);
    this.name = 'PermissionsFileError';
  }
}

/** Roster's keys plus the file's; a missing, unreadable or malformed file throws a PermissionsFileError saying what and where. */
export function loadPermissionCatalogue(file: string | undefined): PermissionCatalogue {
  if (!file) return buildCatalogue();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new PermissionsFileError(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PermissionsFileError(file, `not JSON (${(err as Error).message})`);
  }
  const parsed = permissionsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(' → ') : 'the file'}: ${i.message}`);
    throw new PermissionsFileError(file, issues.join('; '));
  }
  const extra: PermissionEntry[] = [];
  for (const [ns, keys] of Object.entries(parsed.data)) {
    for (const [name, d] of Object.entries(keys)) {
      const key = `${ns}.${name}`;
      extra.push(typeof d === 'boolean' ? { key, area: ns, label: key, default: d } : { key, area: ns, label: d.label ?? key, default: d.default });
    }
  }
  if (extra.length > 2000) throw new PermissionsFileError(file, `${extra.length} keys; at most 2000`);
  return buildCatalogue(extra);
}
