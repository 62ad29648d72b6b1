import { randomUUID } from 'node:crypto';
import { hashPasswords } from '@roster/auth';
import type { EntityManager } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ValidRow } from './import-row.ts';
import type { ReportRow } from './import-store.ts';

export interface BatchContext {
  em: EntityManager;
  importId: string;
  actorId: string;
  dryRun: boolean;
  /** Lower-cased group name → id, filled as batches name groups. */
  groupIds: Map<string, string | null>;
}

const report = (r: ValidRow, status: ReportRow['status'], code: string | null = null, message: string | null = null): ReportRow => ({
  row: r.row,
  email: r.email,
  status,
  code,
  message,
});

/** What the database says about a batch's rows: emails and labels already taken, groups that do not exist. */
async function refuseByDatabase(ctx: BatchContext, rows: ValidRow[]): Promise<{ ok: ValidRow[]; refused: ReportRow[] }> {
  const taken = new Set(
    (await ctx.em.execute<{ e: string }[]>(`select lower(email) as e from users where lower(email) in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(rows.map((r) => r.email))])).map((x) => x.e),
  );
  const labels = rows.map((r) => r.storageLabel).filter((l): l is string => !!l);
  const usedLabels = new Set(
    labels.length
      ? (await ctx.em.execute<{ l: string }[]>(`select storage_label as l from users where storage_label in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(labels)])).map((x) => x.l)
      : [],
  );
  const unknown = [...new Set(rows.flatMap((r) => r.groups.map((g) => g.toLowerCase())))].filter((g) => !ctx.groupIds.has(g));
  if (unknown.length) {
    const found = await ctx.em.execute<{ id: string; n: string }[]>(`select id, lower(name) as n from groups where lower(name) in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(unknown)]);
    for (const g of unknown) ctx.groupIds.set(g, found.find((f) => f.n === g)?.id ?? null);
  }
  const ok: ValidRow[] = [];
  const refused: ReportRow[] = [];
  for (const r of rows) {
    const missingGroup = r.groups.find((g) => !ctx.groupIds.get(g.toLowerCase()));
    if (taken.has(r.email)) refused.push(report(r, 'skipped', 'EMAIL_TAKEN', 'A user with this email already exists'));
    else if (r.storageLabel && usedLabels.has(r.storageLabel)) refused.push(report(r, 'invalid', 'STORAGE_LABEL_TAKEN', 'That storage label is already in use'));
    else if (missingGroup) refused.push(report(r, 'invalid', 'GROUP_NOT_FOUND', `No group named "${missingGroup.slice(0, 100)}"`));
    else ok.push(r);
  }
  return { ok, refused };
}

/**
 * Creates a batch's users (or, in a dry run, only reports them): plaintext
 * passwords are hashed on the pool first, then users, their audit rows and
 * group memberships go in the caller's transaction. A row lost to a
 * concurrent insert of the same email is reported skipped.
 */
export async function writeBatch(ctx: BatchContext, rows: ValidRow[]): Promise<ReportRow[]> {
  const { ok, refused } = await refuseByDatabase(ctx, rows);
  if (ctx.dryRun) return [...refused, ...ok.map((r) => report(r, 'valid'))];
  const plain = ok.filter((r) => r.password);
  const hashes = await hashPasswords(plain.map((r) => r.password!));
  const hashOf = new Map(plain.map((r, i) => [r, hashes[i]!]));
  const values = ok.map((r) => ({
    id: randomUUID(),
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    password_hash: r.passwordHash ?? hashOf.get(r) ?? null,
    quota_bytes: r.quotaBytes,
    storage_label: r.storageLabel,
  }));
  const inserted = await ctx.em.execute<{ id: string; email: string }[]>(
    `insert into users (id, email, name, role, status, password_hash, must_change_password, quota_bytes, storage_label)
     select r.id, r.email, r.name, r.role, r.status, r.password_hash, false, r.quota_bytes, r.storage_label
       from jsonb_to_recordset(?::jsonb) as r(id uuid, email text, name text, role text, status text, password_hash text, quota_bytes bigint, storage_label text)
     on conflict do nothing
     returning id, email`,
    [JSON.stringify(values)],
  );
  const idOf = new Map(inserted.map((u) => [u.email, u.id]));
  const members: { group_id: string; user_id: string }[] = [];
  for (const r of ok) {
    const id = idOf.get(r.email);
    if (!id) continue;
    recordAudit(ctx.em, { actorId: ctx.actorId, action: 'user.create', targetId: id, details: { via: 'import', importId: ctx.importId, role: r.role, status: r.status, groups: r.groups } });
    for (const g of r.groups) members.push({ group_id: ctx.groupIds.get(g.toLowerCase())!, user_id: id });
  }
  if (members.length)
    await ctx.em.execute(
      `insert into group_members (group_id, user_id) select r.group_id, r.user_id from jsonb_to_recordset(?::jsonb) as r(group_id uuid, user_id uuid) on conflict do nothing`,
      [JSON.stringify(members)],
    );
  return [
    ...refused,
    ...ok.map((r) => (idOf.has(r.email) ? report(r, 'imported') : report(r, 'skipped', 'EMAIL_TAKEN', 'A user with this email already exists'))),
  ];
}
