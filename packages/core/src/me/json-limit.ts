import { AppError } from '../errors.ts';

/** Free-form per-user documents (settings, info) are capped so one user cannot bloat every row read. */
export const MAX_USER_JSON_BYTES = 64 * 1024;

export function assertJsonFits(value: unknown, field: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_USER_JSON_BYTES) {
    const msg = `At most ${MAX_USER_JSON_BYTES / 1024} KiB of JSON (got ${Math.ceil(bytes / 1024)} KiB)`;
    throw new AppError('PAYLOAD_TOO_LARGE', msg, { [field]: [msg] });
  }
}
