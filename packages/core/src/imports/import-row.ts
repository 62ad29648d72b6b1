import { isImportablePasswordHash } from '@roster/auth';
import { emailSchema, nameSchema, passwordSchema } from '../validation.ts';
import { gibToBytes, normaliseStorageLabel } from '../users/fields.ts';
import { cellsOf, type Columns } from './csv-columns.ts';

export type ImportRole = 'admin' | 'user' | 'pending';

/** A row that passed the checks that need no database. */
export interface ValidRow {
  row: number;
  email: string;
  name: string;
  role: ImportRole;
  status: 'active' | 'suspended';
  password: string | null;
  passwordHash: string | null;
  quotaBytes: number | null;
  storageLabel: string | null;
  groups: string[];
}

export interface RowProblem {
  row: number;
  email: string | null;
  code: string;
  message: string;
}

const ROLES: readonly string[] = ['admin', 'user', 'pending'];

/** Checks one record; the database checks (duplicates, labels, groups) come after, per batch. */
export function checkRow(record: string[], row: number, columns: Columns, minPassword: number): ValidRow | RowProblem {
  const c = cellsOf(record, columns);
  const rawEmail = c.email.trim().slice(0, 254) || null;
  const problem = (code: string, message: string): RowProblem => ({ row, email: rawEmail, code, message });
  const email = emailSchema.safeParse(c.email);
  if (!email.success) return problem('INVALID_EMAIL', `"${c.email.slice(0, 80)}" is not a valid email address`);
  const name = nameSchema.safeParse(c.name);
  if (!name.success) return problem('INVALID_NAME', name.error.issues[0]!.message);
  const role = c.role.trim().toLowerCase();
  if (role === 'owner') return problem('OWNER_PROTECTED', 'The owner is never imported; ownership moves only by transfer');
  if (!ROLES.includes(role)) return problem('INVALID_ROLE', `Role must be admin, user or pending (got "${c.role.slice(0, 40)}")`);
  const status = c.status.trim().toLowerCase() || 'active';
  if (status !== 'active' && status !== 'suspended') return problem('INVALID_STATUS', 'Status must be active or suspended');
  const passwordHash = c.password_hash.trim() || null;
  if (passwordHash && (passwordHash.length > 256 || !isImportablePasswordHash(passwordHash)))
    return problem('INVALID_HASH', 'password_hash is not a bcrypt ($2a$/$2b$/$2y$) or Argon2 PHC hash');
  const password = passwordHash ? null : c.password || null;
  const hasPasswordColumn = columns.password !== undefined || columns.password_hash !== undefined;
  if (!password && !passwordHash && hasPasswordColumn) return problem('PASSWORD_REQUIRED', 'Give a Password or a password_hash');
  if (password && (!passwordSchema.safeParse(password).success || password.length < minPassword))
    return problem('PASSWORD_POLICY', `The password must be ${Math.max(8, minPassword)} to 256 characters`);
  const quotaBytes = quotaOf(c.quota_bytes, c.quota_gib);
  if (quotaBytes === undefined) return problem('INVALID_QUOTA', 'quota_gib / quota_bytes must be a number ≥ 0 (0 or empty: unlimited)');
  let storageLabel: string | null;
  try {
    storageLabel = normaliseStorageLabel(c.storage_label);
  } catch {
    return problem('INVALID_STORAGE_LABEL', 'storage_label is not valid (letters, digits, . _ -)');
  }
  const groups = [...new Set(c.groups.split(';').map((g) => g.trim()).filter(Boolean))];
  return { row, email: email.data, name: name.data, role: role as ImportRole, status, password, passwordHash, quotaBytes, storageLabel, groups };
}

/** Bytes (quota_bytes wins), null for unlimited, undefined when not a number. */
function quotaOf(bytes: string, gib: string): number | null | undefined {
  if (bytes.trim()) {
    const n = Number(bytes.trim());
    if (!Number.isSafeInteger(n) || n < 0) return undefined;
    return n === 0 ? null : n;
  }
  if (!gib.trim()) return null;
  const n = Number(gib.trim());
  if (!Number.isFinite(n) || n < 0 || n > 1024 * 1024) return undefined;
  return gibToBytes(n);
}

export const isProblem = (r: ValidRow | RowProblem): r is RowProblem => 'code' in r;
