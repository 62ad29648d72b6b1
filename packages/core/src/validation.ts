import { z } from 'zod';

/** Input shapes shared by every transport; the router validates with these. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address' }))
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

export const avatarUrlSchema = z.url({ message: 'Enter a full URL (https://…)' }).max(2000).nullable();

/** Sessions are addressed by a digest of their id (see users/user-sessions.ts), never the id itself. */
export const sessionIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a session id');
