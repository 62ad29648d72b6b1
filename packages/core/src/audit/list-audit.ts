import type { EntityManager } from '@roster/db';

export interface ListAuditInput {
  page: number;
  pageSize: number;
  actorId?: string;
  targetId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Only events older than this id: a stable cursor for exports while new events arrive. */
  beforeId?: number;
}

export interface AuditItem {
  id: number;
  seq: number | null;
  at: string;
  action: string;
  actorId: string | null;
  /** Null when the actor is gone (purged) or was the system. */
  actorName: string | null;
  actorEmail: string | null;
  targetId: string | null;
  /** A user's name and email, or a group's name, while they still exist. */
  targetName: string | null;
  targetEmail: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

type Row = Omit<AuditItem, 'id' | 'seq' | 'at'> & { id: string; seq: string | null; at: Date };

/** `action` matches itself and, ending in `.`, every action under it (`user.` → user.create, user.update, …). */
function where(input: ListAuditInput): { sql: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => (conds.push(sql), params.push(value));
  if (input.actorId) add('a.actor_id = ?', input.actorId);
  if (input.targetId) add('a.target_id = ?', input.targetId);
  if (input.action) {
    if (input.action.endsWith('.')) add(`a.action like ? escape '\\'`, input.action.replace(/[\\%_]/g, '\\$&') + '%');
    else add('a.action = ?', input.action);
  }
  if (input.from) add('a.at >= ?', input.from);
  if (input.to) add('a.at < ?', input.to);
  if (input.beforeId) add('a.id < ?', input.beforeId);
  return { sql: conds.length ? `where ${conds.join(' and ')}` : '', params };
}

/** Newest first, with the names of the actor and target where they still exist. */
export async function listAudit(em: EntityManager, input: ListAuditInput): Promise<{ items: AuditItem[]; total: number }> {
  const w = where(input);
  const [rows, [count]] = await Promise.all([
    em.execute<Row[]>(
      `select a.id::text as id, a.seq::text as seq, a.at, a.action, a.actor_id as "actorId", actor.name as "actorName", actor.email as "actorEmail",
              a.target_id as "targetId", coalesce(target.name, g.name) as "targetName", target.email as "targetEmail",
              a.ip, a.user_agent as "userAgent", a.details
         from audit_log a
         left join users actor on actor.id = a.actor_id
         left join users target on target.id = a.target_id
         left join groups g on g.id = a.target_id and target.id is null
         ${w.sql} order by a.id desc limit ? offset ?`,
      [...w.params, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    em.execute<{ n: string }[]>(`select count(*)::text as n from audit_log a ${w.sql}`, w.params),
  ]);
  return {
    items: rows.map((r) => ({ ...r, id: Number(r.id), seq: r.seq === null ? null : Number(r.seq), at: new Date(r.at).toISOString() })),
    total: Number(count!.n),
  };
}
