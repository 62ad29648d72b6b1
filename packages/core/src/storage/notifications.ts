import type { Actor, CoreDeps } from '../deps.ts';

export interface NotificationDto {
  id: string;
  userId: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

type Row = { id: string; user_id: string; kind: string; message: string; data: Record<string, unknown>; created_at: Date; read_at: Date | null };
const toDto = (r: Row): NotificationDto => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  message: r.message,
  data: r.data,
  createdAt: new Date(r.created_at).toISOString(),
  readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
});

/** The caller's own notifications, newest first, with the unread count for the header badge. */
export async function listNotifications(deps: CoreDeps, actor: Actor, input: { page: number; pageSize: number; unreadOnly?: boolean }) {
  const unreadOnly = input.unreadOnly ? 'and read_at is null' : '';
  const [rows, [counts]] = await Promise.all([
    deps.em.execute<Row[]>(
      `select * from notifications where user_id = ? ${unreadOnly} order by created_at desc, id limit ? offset ?`,
      [actor.id, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    deps.em.execute<{ total: string; unread: string }[]>(
      `select count(*) filter (where true ${unreadOnly}) as total, count(*) filter (where read_at is null) as unread
         from notifications where user_id = ?`,
      [actor.id],
    ),
  ]);
  return { items: rows.map(toDto), total: Number(counts!.total), unread: Number(counts!.unread) };
}

/** Marks the given notifications (or all) of the caller as read. */
export async function markNotificationsRead(deps: CoreDeps, actor: Actor, ids?: string[]) {
  if (ids && ids.length === 0) return { updated: 0 };
  const rows = await deps.em.execute(
    `update notifications set read_at = now() where user_id = ? and read_at is null
       ${ids ? `and id in (${ids.map(() => '?').join(', ')})` : ''} returning id`,
    [actor.id, ...(ids ?? [])],
  );
  return { updated: rows.length };
}

/** For admins (server stats page): everyone's notifications, e.g. who crossed a quota threshold. */
export async function listAllNotifications(deps: CoreDeps, input: { page: number; pageSize: number; userId?: string; kind?: string }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.userId) {
    where.push('n.user_id = ?');
    params.push(input.userId);
  }
  if (input.kind) {
    where.push('n.kind = ?');
    params.push(input.kind);
  }
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const [rows, [count]] = await Promise.all([
    deps.em.execute<(Row & { email: string; name: string })[]>(
      `select n.*, u.email, u.name from notifications n join users u on u.id = n.user_id ${clause}
        order by n.created_at desc, n.id limit ? offset ?`,
      [...params, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    deps.em.execute<{ n: string }[]>(`select count(*) as n from notifications n ${clause}`, params),
  ]);
  return {
    items: rows.map((r) => ({ ...toDto(r), user: { id: r.user_id, email: r.email, name: r.name } })),
    total: Number(count!.n),
  };
}
