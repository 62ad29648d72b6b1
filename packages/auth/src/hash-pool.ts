import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Argon2id for many passwords at once (a CSV import): one worker thread per
 * core, each hashing its share in turn, so a large import keeps every core
 * busy while the calling thread stays free for I/O. Started on first use,
 * ended by closeHashPool (or left unref'd, so it never holds a process open).
 */
interface Pending {
  resolve(hashes: string[]): void;
  reject(err: Error): void;
}

/** Per thread: how many batches it has been sent and not answered, and since when it has had any. */
interface Load {
  outstanding: number;
  since: number;
}

let pool: { workers: Worker[]; loads: Load[]; pending: Map<number, Pending>; next: number } | null = null;
/** Milliseconds the pool's threads have had work (summed over threads), for benchmarks: a thread waiting to be fed counts as idle. */
let busyMs = 0;

// A runtime path, not a literal `new URL(...)` a bundler would try to follow: the pool runs in the worker process only.
const workerFile = () => new URL(['.', 'hash-worker.ts'].join('/'), import.meta.url);

function start(size: number) {
  const pending = new Map<number, Pending>();
  const loads = Array.from({ length: size }, (): Load => ({ outstanding: 0, since: 0 }));
  const workers = Array.from({ length: size }, (_, i) => {
    const w = new Worker(workerFile());
    w.unref();
    w.on('message', (m: { id: number; hashes?: string[]; error?: string }) => {
      if (--loads[i]!.outstanding === 0) busyMs += performance.now() - loads[i]!.since;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.hashes) p?.resolve(m.hashes);
      else p?.reject(new Error(`password hashing failed: ${m.error}`));
    });
    w.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      pool = null;
    });
    return w;
  });
  return { workers, loads, pending, next: 0 };
}

export const hashPoolSize = () => os.availableParallelism();

/** Hashes every password (same order), split evenly over the pool's threads. */
export async function hashPasswords(passwords: string[]): Promise<string[]> {
  if (passwords.length === 0) return [];
  pool ??= start(hashPoolSize());
  const p = pool;
  const n = p.workers.length;
  const per = Math.ceil(passwords.length / n);
  const parts = await Promise.all(
    p.workers.map((w, i) => {
      const slice = passwords.slice(i * per, (i + 1) * per);
      if (slice.length === 0) return Promise.resolve([] as string[]);
      const id = p.next++;
      const load = p.loads[i]!;
      if (load.outstanding++ === 0) load.since = performance.now();
      return new Promise<string[]>((resolve, reject) => {
        p.pending.set(id, { resolve, reject });
        w.postMessage({ id, passwords: slice });
      });
    }),
  );
  return parts.flat();
}

/** Busy milliseconds so far, summed over the pool's threads (see busyMs). */
export function hashPoolBusyMs(): number {
  const now = performance.now();
  return busyMs + (pool?.loads.reduce((sum, l) => sum + (l.outstanding > 0 ? now - l.since : 0), 0) ?? 0);
}

export async function closeHashPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await Promise.all(p.workers.map((w) => w.terminate()));
}
