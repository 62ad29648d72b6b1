import { z } from 'zod';
import { AppError } from './errors.ts';

/** Input shapes shared by every transport; the router validates with these. */
/**
 * The HTML form grammar for `type=email` (what browsers accept), which, unlike
 * zod's default, needs no dot in the domain: self-hosters use `admin@localhost`
 * and `ana@homelab`. The local part (at most 64 characters) may not start,
 * end or double a dot.
 */
const EMAIL =
  /^(?=[^@]{1,64}@)(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?<!\.)@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'At most 254 characters')
  .pipe(z.email({ pattern: EMAIL, message: 'Enter a valid email address, e.g. ana@example.com or ana@homelab' }))
  .transform((e) => e.toLowerCase());

export const nameSchema = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');

/** The fixed floor; instances may require more (setting passwordMinLength). */
export const MIN_PASSWORD = 8;
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD, `At least ${MIN_PASSWORD} characters`)
  .max(256, 'At most 256 characters');

export const idSchema = z.uuid({ message: 'Not a valid id' });

export const pageSchema = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
};

/**
 * An image address: `https:`, or `http:` only to the instance itself (checked
 * with the request in hand by `checkAvatarOrigin`), so pages never load
 * mixed content or scripts in disguise (`javascript:`, `data:`).
 */
export const avatarUrlSchema = z
  .url({ protocol: /^https?$/, message: 'Enter a full https:// address of an image (e.g. https://example.com/me.png)' })
  .max(2000, 'At most 2000 characters')
  .nullable();

/** `http:` avatars are allowed only on the instance's own origins (its public URL, or the request's own origin). */
export function checkAvatarOrigin(url: string | null | undefined, instanceOrigins: readonly string[]): void {
  if (!url) return;
  const u = new URL(url);
  if (u.protocol === 'https:' || instanceOrigins.includes(u.origin)) return;
  const message = 'Use an https:// address (http:// only for images on this instance)';
  throw new AppError('VALIDATION', message, { avatarUrl: [message] });
}

/** Sessions are addressed by a digest of their id (see users/user-sessions.ts), never the id itself. */
export const sessionIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a session id');
