import { alphabet, generateRandomString, sha256 } from 'oslo/crypto';
import { encodeHex } from 'oslo/encoding';

/** A URL-safe secret with at least 160 bits of entropy (for links and API keys). */
export function generateToken(length = 40): string {
  return generateRandomString(length, alphabet('a-z', 'A-Z', '0-9'));
}

/** Tokens are stored only as their SHA-256, so a database leak reveals no usable link. */
export async function hashToken(token: string): Promise<string> {
  return encodeHex(await sha256(new TextEncoder().encode(token)));
}

/** A readable one-time password: 4 groups of 5 from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const chars = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups = Array.from({ length: 4 }, () => generateRandomString(5, chars));
  return groups.join('-');
}
