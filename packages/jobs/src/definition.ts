import type { Clock } from '@roster/core';
import type { EntityManager, MikroORM } from '@roster/db';
import type { Queue } from 'bullmq';
import type { z } from 'zod';

/** What a job's processor gets: a fresh EntityManager fork and the process's shared parts. */
export interface JobDeps {
  em: EntityManager;
  orm: MikroORM;
  clock: Clock;
  dataDir: string;
  log(message: string): void;
  /** The worker's queue, for jobs that queue others (the deletion sweep). */
  queue: Queue;
}

/** One job: its name, payload schema and processor. Errors propagate so BullMQ's retries apply. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  process(deps: JobDeps, payload: z.infer<S>, job: JobHandle): Promise<unknown>;
  /** Repeat schedule (cron), for jobs the worker keeps scheduled by itself. */
  repeat?: { pattern: string };
}

/** The running BullMQ job, as much of it as processors use (moveToDelayed: see user-purge.ts). */
export interface JobHandle {
  id?: string;
  attemptsMade: number;
  /** The job's options as queued: `attempts` tells the processor whether this run is its last. */
  opts?: { attempts?: number };
  token?: string;
  moveToDelayed?(timestamp: number, token?: string): Promise<void>;
  /** Long jobs report how far they are (admin.jobs.get reads it). */
  updateProgress?(progress: object): Promise<void>;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
