import type { CoreDeps } from '../deps.ts';
import { usagePercent } from './list-files.ts';

export interface ServerStatsUser {
  id: string;
  email: string;
  name: string;
  /** So pages can tell the owner's row (their files are theirs alone) from the others. */
  role: string;
  status: string;
  files: number;
  usageBytes: number;
  quotaBytes: number | null;
  /** One decimal; null when the quota is unlimited. */
  usagePercent: number | null;
}

export interface ServerStats {
  users: ServerStatsUser[];
  totals: { users: number; files: number; usageBytes: number };
}

/** Immich's server stats: usage per user, largest first (paged: instances may have very many users). */
export async function getServerStats(deps: Pick<CoreDeps, 'em'>, opts: { page: number; pageSize: number }): Promise<ServerStats> {
  const [rows, [totals]] = await Promise.all([
    deps.em.execute<{ id: string; email: string; name: string; role: string; status: string; usage_bytes: string; quota_bytes: string | null; files: string }[]>(
      `select u.id, u.email, u.name, u.role, u.status, u.usage_bytes, u.quota_bytes,
              (select count(*) from files f where f.owner_id = u.id) as files
         from users u order by u.usage_bytes desc, u.id limit ? offset ?`,
      [opts.pageSize, (opts.page - 1) * opts.pageSize],
    ),
    deps.em.execute<{ users: string; files: string; usage: string }[]>(
      `select (select count(*) from users) as users, (select count(*) from files) as files,
              (select coalesce(sum(usage_bytes), 0) from users) as usage`,
    ),
  ]);
  return {
    users: rows.map((r) => {
      const usageBytes = Number(r.usage_bytes);
      const quotaBytes = r.quota_bytes == null ? null : Number(r.quota_bytes);
      return { id: r.id, email: r.email, name: r.name, role: r.role, status: r.status, files: Number(r.files), usageBytes, quotaBytes, usagePercent: usagePercent(usageBytes, quotaBytes) };
    }),
    totals: { users: Number(totals!.users), files: Number(totals!.files), usageBytes: Number(totals!.usage) },
  };
}
