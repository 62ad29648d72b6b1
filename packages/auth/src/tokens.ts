import { createHash } from 'node:crypto';
import { alphabet, generateRandomString } from 'oslo/crypto';

/** A URL-safe secret with at least 160 bits of entropy (for links and API keys). */
export function generateToken(length = 40): string {
  return generateRandomString(length, alphabet('a-z', 'A-Z', '0-9'));
}

/**
 * Tokens are stored only as their SHA-256, so a database leak reveals no usable link.
 * Hashed in-thread: every request hashes its session token, and Web Crypto's
 * digest hands each one to the thread pool, which cost more than the hash (bench/peers).
 */
export async function hashToken(token: string): Promise<string> {
  return createHash('sha256').update(token).digest('hex');
}

/** A readable one-time password: 4 groups of 5 from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const chars = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups = Array.from({ length: 4 }, () => generateRandomString(5, chars));
  return groups.join('-');
}
