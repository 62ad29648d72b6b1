import type { EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

/** Extra bytes reserved per round trip when the size is not known up front (chunked bodies). */
const SLACK = 8 * 1024 * 1024;
/** Stale reservations (a crashed upload) are released by the usage recalculation after this long without a touch. */
export const RESERVATION_STALE_MS = 60 * 60_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Adds `bytes` to the owner's usage only if the quota allows it, and records
 * them against the upload, in one statement: concurrent uploads can never
 * take usage past the quota together. Returns false when the quota refuses.
 */
async function grow(em: EntityManager, id: string, userId: string, path: string, bytes: number): Promise<boolean> {
  const rows = await em.execute<{ bytes: string }[]>(
    `with u as (
       update users set usage_bytes = usage_bytes + ?
        where id = ? and (quota_bytes is null or usage_bytes + ? <= quota_bytes)
        returning id)
     insert into file_uploads (id, user_id, path, bytes) select ?, u.id, ?, ? from u
     on conflict (id) do update set bytes = file_uploads.bytes + excluded.bytes, updated_at = now()
     returning bytes`,
    [bytes, userId, bytes, id, path, bytes],
  );
  return rows.length === 1;
}

/** Gives back whatever the upload still holds; a no-op once it was finalised or released. */
export async function releaseReservation(em: EntityManager, id: string): Promise<void> {
  await em.execute(
    `with r as (delete from file_uploads where id = ? returning user_id, bytes)
     update users set usage_bytes = usage_bytes - r.bytes from r where users.id = r.user_id`,
    [id],
  );
}

/** In the transaction that inserts the file row: turns the reservation into exactly `size` bytes of usage. */
export async function settleReservation(em: EntityManager, id: string, size: number): Promise<void> {
  const rows = await em.execute(
    `with r as (delete from file_uploads where id = ? returning user_id, bytes)
     update users set usage_bytes = usage_bytes - r.bytes + ? from r where users.id = r.user_id and r.bytes >= ?
     returning users.id`,
    [id, size, size],
  );
  if (rows.length !== 1) throw new Error(`Upload ${id} lost its quota reservation`);
}

async function quotaError(em: EntityManager, userId: string, more: number): Promise<AppError> {
  const [u] = await em.execute<{ usage_bytes: string; quota_bytes: string | null }[]>(
    `select usage_bytes, quota_bytes from users where id = ?`,
    [userId],
  );
  const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return new AppError(
    'QUOTA_EXCEEDED',
    u?.quota_bytes == null
      ? undefined
      : `This upload would exceed the storage quota (${mib(Number(u.usage_bytes))} of ${mib(Number(u.quota_bytes))} used, ${mib(more)} more needed)`,
  );
}

/** The quota held by one upload while its body streams in. */
export class Reservation {
  readonly id: string;
  readonly userId: string;
  readonly path: string;
  private readonly em: EntityManager;
  private reserved = 0;
  private touchedAt = Date.now();

  private constructor(em: EntityManager, id: string, userId: string, path: string) {
    this.em = em;
    this.id = id;
    this.userId = userId;
    this.path = path;
  }

  /** Reserves the declared size (Content-Length) before any byte is read, so an oversized upload is refused at once. */
  static async open(em: EntityManager, id: string, userId: string, path: string, declared: number): Promise<Reservation> {
    const r = new Reservation(em, id, userId, path);
    if (!(await grow(em, id, userId, path, declared))) throw await quotaError(em, userId, declared);
    r.reserved = declared;
    return r;
  }

  /** Makes sure `total` bytes are covered, reserving more (with some slack) when a chunked body runs past them. */
  async cover(total: number): Promise<void> {
    if (total <= this.reserved) {
      if (Date.now() - this.touchedAt > TOUCH_EVERY_MS) await this.touch();
      return;
    }
    const need = total - this.reserved;
    for (const step of [need + SLACK, need]) {
      if (await grow(this.em, this.id, this.userId, this.path, step)) {
        this.reserved += step;
        this.touchedAt = Date.now();
        return;
      }
    }
    throw await quotaError(this.em, this.userId, need);
  }

  private async touch(): Promise<void> {
    this.touchedAt = Date.now();
    await this.em.execute(`update file_uploads set updated_at = now() where id = ?`, [this.id]);
  }
}
