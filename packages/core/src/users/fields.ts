import { raw } from '@mikro-orm/core';
import { User, type EntityManager } from '@roster/db';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { textArrayLiteral } from '../sql-literals.ts';

const GIB = 1024 ** 3;

/** Quotas are entered in GiB (decimals allowed); 0 or empty means unlimited. */
export const quotaGiBSchema = z.number().min(0).max(1024 * 1024).nullable();
export function gibToBytes(gib: number | null | undefined): number | null {
  if (gib == null || gib === 0) return null;
  return Math.max(1, Math.round(gib * GIB));
}

/** Immich-style storage labels: lower-case `[a-z0-9._-]`, never a path trick. Empty clears the label. */
export function normaliseStorageLabel(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const label = raw.trim().toLowerCase().replace(/[^a-z0-9._-]/g, '');
  if (label === '') return null;
  if (/^\.+$/.test(label) || label.length > 64) {
    throw new AppError('VALIDATION', 'Storage label is not valid', { storageLabel: ['Use letters, digits, . _ - (not only dots)'] });
  }
  // Folders are `upload/{label or userId}`: a label shaped like a user id could share another user's folder.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(label)) {
    throw new AppError('VALIDATION', 'Storage label is not valid', { storageLabel: ['A label cannot look like a user id'] });
  }
  return label;
}

export async function assertEmailFree(em: EntityManager, email: string, exceptId?: string): Promise<void> {
  const other = await em.findOne(User, { email: email.toLowerCase() }, { fields: ['id'] });
  if (other && other.id !== exceptId) throw new AppError('EMAIL_TAKEN', undefined, { email: ['That email address is already in use'] });
}

export async function assertStorageLabelFree(em: EntityManager, label: string | null, exceptId?: string): Promise<void> {
  if (!label) return;
  const other = await em.findOne(User, { storageLabel: label }, { fields: ['id'] });
  if (other && other.id !== exceptId)
    throw new AppError('STORAGE_LABEL_TAKEN', undefined, { storageLabel: ['That storage label is already in use'] });
}

/** Turns a unique violation that slipped past the checks (a race) into the right domain error. */
export function mapUniqueViolation(err: unknown): never {
  const text = String((err as Error)?.message ?? '');
  if (text.includes('users_email_lower_key')) throw new AppError('EMAIL_TAKEN');
  if (text.includes('users_storage_label_key')) throw new AppError('STORAGE_LABEL_TAKEN');
  throw err;
}

export async function findUserOrFail(em: EntityManager, id: string): Promise<User> {
  const user = await em.findOne(User, id);
  if (!user) throw new AppError('USER_NOT_FOUND');
  return user;
}

/** Escapes LIKE wildcards so a search for `50%` means the text `50%`. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A case-insensitive substring of the name or the email: the stored
 * search_text column, roster_fold(name || chr(1) || email) (migration 0015:
 * NFKC, then lower-case under ICU's root rules, for every script and
 * whatever the server's locale); the term is folded and escaped by the same
 * functions in SQL (roster_search_like), so both sides agree. chr(1) keeps a
 * term from matching across the two; it is dropped from the term. The
 * planner estimates this condition well (search_text's statistics), but no
 * index serves it alone: for the matches themselves use
 * nameOrEmailContainsIndexed.
 */
export function nameOrEmailContains(query: string): Record<string, never[]> {
  return { [raw((a) => `${a}.search_text like roster_search_like(?)`, [searchTerm(query)])]: [] };
}

/**
 * The same matches, found through the users_search_grams index (migration
 * 0008): rows holding the term's rarest 1–3 character pieces, then the
 * exact LIKE. `common` ranks the term's pieces that many users share, most
 * common first (searchKeyHint); roster_search_keys (migration 0018) takes
 * the four others, so GIN reads short posting lists. The planner cannot
 * estimate the pair (it multiplies the two), so use it where the index is
 * wanted whatever the count: a capped candidate query.
 */
export function nameOrEmailContainsIndexed(query: string, common: string[] = []): Record<string, never[]> {
  const term = searchTerm(query);
  return {
    [raw((a) => `roster_search_grams(${a}.search_text) @> roster_search_keys(roster_fold(?), ?::text[]) and ${a}.search_text like roster_search_like(?)`, [
      term,
      textArrayLiteral(common),
      term,
    ])]: [],
  };
}

/** The term as search_text is matched: chr(1) separates name and email there, so it is no part of a term. */
export const searchTerm = (query: string) => query.replaceAll('\x01', '');
