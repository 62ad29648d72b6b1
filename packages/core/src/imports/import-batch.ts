import { randomUUID } from 'node:crypto';
import { hashPasswords } from '@roster/auth';
import type { EntityManager } from '@roster/db';
import { currentAuditScope } from '../audit/audit-scope.ts';
import { redactSecrets } from '../audit/redact.ts';
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

/** A batch checked against the database, its passwords queued on the hash pool: what remains is the write. */
export interface PreparedBatch {
  ok: ValidRow[];
  refused: ReportRow[];
  /** The Argon2id hash of each row with a plaintext password (settles once the pool has hashed them). */
  hashes: Promise<Map<ValidRow, string>>;
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
 * Checks a batch against the database and queues the hashing of its
 * plaintext passwords, without waiting for the hashes: the caller writes
 * the batch before this one meanwhile. Only rows the database does not
 * refuse are hashed, so importing a file again hashes nothing. These reads
 * run outside the write's transaction; rows of the file never collide with
 * each other (the caller drops repeats first), and a row that someone else
 * creates in between is caught by the insert (`on conflict do nothing`).
 */
export async function prepareBatch(ctx: BatchContext, rows: ValidRow[]): Promise<PreparedBatch> {
  const { ok, refused } = await refuseByDatabase(ctx, rows);
  const plain = ctx.dryRun ? [] : ok.filter((r) => r.password);
  const hashes = hashPasswords(plain.map((r) => r.password!)).then((h) => new Map(plain.map((r, i) => [r, h[i]!])));
  hashes.catch(() => {}); // awaited before the batch's write; never an unhandled rejection while it waits its turn
  return { ok, refused, hashes };
}

/**
 * Creates a prepared batch's users, given its hashes, in the caller's
 * transaction (or, in a dry run, only reports them): one statement inserts the users and, for
 * each user inserted, its `user.create` audit row; group memberships
 * follow. A row lost to a concurrent insert of the same email is reported
 * skipped.
 */
export async function writeBatch(ctx: BatchContext, { ok, refused }: PreparedBatch, hashOf: Map<ValidRow, string>): Promise<ReportRow[]> {
  if (ctx.dryRun) return [...refused, ...ok.map((r) => report(r, 'valid'))];
  const values = ok.map((r) => ({
    row: r.row,
    id: randomUUID(),
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    password_hash: r.passwordHash ?? hashOf.get(r) ?? null,
    quota_bytes: r.quotaBytes,
    storage_label: r.storageLabel,
    details: redactSecrets({ via: 'import', importId: ctx.importId, role: r.role, status: r.status, groups: r.groups }),
  }));
  const scope = currentAuditScope();
  const inserted = values.length
    ? await ctx.em.execute<{ id: string; email: string }[]>(
        `with r as (select * from jsonb_to_recordset(?::jsonb)
                      as r("row" int, id uuid, email text, name text, role text, status text, password_hash text, quota_bytes bigint, storage_label text, details jsonb)),
              ins as (insert into users (id, email, name, role, status, password_hash, must_change_password, quota_bytes, storage_label)
                      select id, email, name, role, status, password_hash, false, quota_bytes, storage_label from r order by "row"
                      on conflict do nothing
                      returning id, email),
              audit as (insert into audit_log (actor_id, action, target_id, details, ip, user_agent)
                        select ?, 'user.create', r.id, r.details, ?, ? from r join ins on ins.id = r.id order by r."row")
         select id, email from ins`,
        [JSON.stringify(values), ctx.actorId, scope?.ip ?? null, scope?.userAgent?.slice(0, 400) ?? null],
      )
    : [];
  const idOf = new Map(inserted.map((u) => [u.email, u.id]));
  const members: { group_id: string; user_id: string }[] = [];
  for (const r of ok) {
    const id = idOf.get(r.email);
    if (id) for (const g of r.groups) members.push({ group_id: ctx.groupIds.get(g.toLowerCase())!, user_id: id });
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
