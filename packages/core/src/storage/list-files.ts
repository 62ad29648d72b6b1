import type { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertMayAccessFile, fileOwnerFor, fileOwnerForTarget } from './access.ts';
import { toFileDto, type FileDto, type FileRow } from './dto.ts';

export interface ListFilesInput {
  page: number;
  pageSize: number;
  /** Another user's files (needs `files:manage`). */
  userId?: string | null;
}

/** Newest first. */
export async function listFiles(deps: CoreDeps, actor: Actor | null, input: ListFilesInput): Promise<{ items: FileDto[]; total: number }> {
  const ownerId = await fileOwnerForTarget(deps, actor, input.userId);
  const [rows, count] = await Promise.all([
    deps.em.execute<FileRow[]>(
      `select * from files where owner_id = ? order by created_at desc, id desc limit ? offset ?`,
      [ownerId, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    deps.em.execute<{ n: string }[]>(`select count(*) as n from files where owner_id = ?`, [ownerId]),
  ]);
  return { items: rows.map(toFileDto), total: Number(count[0]?.n ?? 0) };
}

/** One file the actor may see, or NOT_FOUND. */
export async function findFileFor(deps: Pick<CoreDeps, 'em'>, actor: Actor | null, id: string): Promise<FileRow> {
  fileOwnerFor(actor);
  const [row] = await deps.em.execute<(FileRow & { owner_role: User['role'] })[]>(
    `select f.*, u.role as owner_role from files f join users u on u.id = f.owner_id where f.id = ?`,
    [id],
  );
  if (!row) throw new AppError('NOT_FOUND', 'File not found');
  assertMayAccessFile(actor, row.owner_id, row.owner_role);
  return row;
}

export async function getFile(deps: CoreDeps, actor: Actor | null, id: string): Promise<FileDto> {
  return toFileDto(await findFileFor(deps, actor, id));
}

/** A user's usage against their quota, for the header and `roster files list`. */
export async function getStorageUsage(deps: CoreDeps, actor: Actor | null, userId?: string | null) {
  const ownerId = await fileOwnerForTarget(deps, actor, userId);
  const [u] = await deps.em.execute<{ usage_bytes: string; quota_bytes: string | null; files: string }[]>(
    `select usage_bytes, quota_bytes, (select count(*) from files where owner_id = users.id) as files from users where id = ?`,
    [ownerId],
  );
  if (!u) throw new AppError('USER_NOT_FOUND');
  const usageBytes = Number(u.usage_bytes);
  const quotaBytes = u.quota_bytes == null ? null : Number(u.quota_bytes);
  return { userId: ownerId, files: Number(u.files), usageBytes, quotaBytes, usagePercent: usagePercent(usageBytes, quotaBytes) };
}

/** One decimal; null when unlimited. */
export const usagePercent = (usage: number, quota: number | null) =>
  quota == null ? null : Math.round((usage / quota) * 1000) / 10;
