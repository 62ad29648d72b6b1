import fs from 'node:fs';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { findFileFor } from './list-files.ts';
import { absolutePath } from './paths.ts';
import { syncQuotaWarnings } from './quota-warnings.ts';

/**
 * Row and usage go in one transaction, then the file: a crash in between
 * leaves an unreferenced file (wasted space, until storage.sweepOrphans
 * removes it) rather than a row pointing at nothing. The conditional delete
 * makes a concurrent second delete give back the bytes only once.
 */
export async function deleteFile(deps: CoreDeps, actor: Actor | null, id: string) {
  const file = await findFileFor(deps, actor, id);
  const usage = await deps.em.transactional(async (tx) => {
    const gone = await tx.execute<{ path: string; size: string }[]>(
      `delete from files where id = ? returning path, size`,
      [id],
    );
    if (gone.length === 0) return null;
    const [u] = await tx.execute<{ usage_bytes: string }[]>(
      `update users set usage_bytes = usage_bytes - ? where id = ? returning usage_bytes`,
      [gone[0]!.size, file.owner_id],
    );
    await syncQuotaWarnings(tx, file.owner_id);
    recordAudit(tx, { actorId: actor!.id, action: 'file.delete', targetId: file.owner_id, details: { fileId: id, name: file.original_name } });
    return { path: gone[0]!.path, usageBytes: Number(u!.usage_bytes) };
  });
  // The path as deleted: a storage migration may have moved the file since we first read the row.
  if (usage) await fs.promises.rm(absolutePath(deps.dataDir, usage.path), { force: true });
  return { id, freedBytes: usage ? Number(file.size) : 0, usageBytes: usage?.usageBytes ?? null };
}
