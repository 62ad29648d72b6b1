import { generateToken, hashToken } from '@roster/auth';
import type { EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

/** Loopback addresses: a server bound only there cannot be reached by a stranger, so first run needs no token. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * While no owner exists, a fresh one-time token for the first-run page (as
 * Jenkins prints its initial admin password). Only its hash is stored; each
 * web process that starts adds its own, and creating the owner removes all.
 * Returns null once an owner exists.
 */
export async function issueSetupToken(em: EntityManager): Promise<string | null> {
  const token = generateToken(43);
  const rows = await em.execute<{ token_hash: string }[]>(
    `insert into setup_tokens (token_hash)
     select ? where not exists (select 1 from users where role = 'owner')
     returning token_hash`,
    [await hashToken(token)],
  );
  return rows.length ? token : null;
}

/** Refuses a missing or unknown setup token (inside the owner-creating transaction, which then removes them all). */
export async function assertSetupToken(em: EntityManager, token: string | undefined): Promise<void> {
  const found = token
    ? await em.execute<{ n: number }[]>(`select count(*)::int as n from setup_tokens where token_hash = ?`, [await hashToken(token)])
    : [{ n: 0 }];
  if (!found[0]?.n) throw new AppError('SETUP_TOKEN_INVALID');
}

export async function clearSetupTokens(em: EntityManager): Promise<void> {
  await em.execute(`delete from setup_tokens`);
}
