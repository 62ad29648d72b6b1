import type { Queue } from 'bullmq';
import { jobDefinitions } from './registry.ts';

/**
 * Registers every job's repeat schedule (sweeps, expiry, orphan sweep) that
 * Redis does not hold, or all of them with `force`. Redis loses them with
 * its data (FLUSHALL, a restart without AOF), so the worker checks this on
 * every due sweep and on reconnect, not only when it starts. Returns the
 * names it registered.
 */
export async function ensureSchedules(queue: Queue, opts: { force?: boolean } = {}): Promise<string[]> {
  const registered: string[] = [];
  for (const def of jobDefinitions) {
    if (!def.repeat) continue;
    if (!opts.force && (await queue.getJobScheduler(def.name))) continue;
    await queue.upsertJobScheduler(def.name, { pattern: def.repeat.pattern }, { name: def.name, data: {} });
    registered.push(def.name);
  }
  return registered;
}
