import type { EntityManager } from '@roster/db';
import { prepareBatch, writeBatch, type BatchContext, type PreparedBatch } from './import-batch.ts';
import type { ValidRow } from './import-row.ts';
import { saveBatch, type ImportCounts, type ReportRow } from './import-store.ts';

/**
 * Batches left in flight while node reads on (each may hold a transaction and a connection; one more
 * while the next batch is cut): two keep PostgreSQL inserting on both cores of a small machine.
 */
const WRITERS = 2;

interface Write {
  /** Settles once the batch's transaction has begun (or the batch failed before). */
  begun: Promise<void>;
  /** Settles once it has committed; rejects if it (or any batch before it) failed. */
  committed: Promise<void>;
}

/**
 * The import's batches as a pipeline, so the cores add up instead of taking
 * turns: while PostgreSQL inserts a batch (two at a time, each in its own
 * transaction on its own connection), node reads and checks the next, and
 * the hash pool already hashes its passwords (queued as soon as the batch
 * is cut, so the pool never idles at a batch boundary).
 *
 * What the file order promised still holds: a batch commits only after the
 * one before it (its report rows, counts and progress are written once
 * that one has committed, and it rolls back if that one failed), so a
 * retried job resumes after the last committed batch as before. A batch
 * begins its transaction only after the one before it has begun, so the
 * oldest open transaction never waits for a connection a later one holds.
 */
export class BatchWrites {
  private readonly ctx: BatchContext;
  private readonly counts: ImportCounts;
  private readonly onProgress?: (processed: number) => Promise<void> | void;
  private last: Write = { begun: Promise.resolve(), committed: Promise.resolve() };
  private inFlight: Promise<void>[] = [];

  constructor(ctx: BatchContext, counts: ImportCounts, onProgress?: (processed: number) => Promise<void> | void) {
    this.ctx = ctx;
    this.counts = counts;
    this.onProgress = onProgress;
  }

  /** Queues a batch; returns once at most WRITERS batches are left in flight. */
  async add(rows: ValidRow[], reports: ReportRow[], processed: number): Promise<void> {
    const prepared = rows.length ? prepareBatch({ ...this.ctx, em: this.ctx.em.fork() }, rows) : null;
    prepared?.catch(() => {}); // awaited by write
    const write = this.write(prepared, reports, processed, this.last);
    write.committed.catch(() => {}); // awaited below, by a later add or by finish
    this.last = write;
    this.inFlight.push(write.committed);
    if (this.inFlight.length > WRITERS) await this.inFlight.shift();
  }

  /** Waits for every batch; throws the first failure once nothing is left writing. */
  async finish(): Promise<void> {
    const failed = (await Promise.allSettled(this.inFlight.splice(0))).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Waits for whatever is in flight, failed or not (the caller is already stopping on an error). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
  }

  private write(prepared: Promise<PreparedBatch> | null, reports: ReportRow[], processed: number, before: Write): Write {
    let begin!: () => void;
    const begun = new Promise<void>((resolve) => (begin = resolve));
    const committed = (async () => {
      try {
        const batch = prepared ? await prepared : null;
        const hashes = batch ? await batch.hashes : null; // hashed before the transaction opens, never inside it
        await before.begun;
        // A fresh fork per batch: nothing it loads stays in the identity map of later ones.
        await this.ctx.em.fork().transactional(async (em: EntityManager) => {
          begin();
          const rows = batch ? await writeBatch({ ...this.ctx, em }, batch, hashes!) : [];
          await before.committed; // in file order; if the batch before failed, this one rolls back
          const all = [...reports, ...rows].sort((a, b) => a.row - b.row);
          for (const r of all) this.counts[r.status]++;
          await saveBatch(em, this.ctx.importId, all, processed, this.counts);
        });
      } finally {
        begin();
      }
      await this.onProgress?.(processed);
    })();
    return { begun, committed };
  }
}
