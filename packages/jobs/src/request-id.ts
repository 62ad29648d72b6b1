import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The id of the HTTP request being served, for everything that request
 * does asynchronously: the web server runs each request inside
 * withRequestId, and the producer copies the id into the data of any job the
 * request enqueues (JOB_REQUEST_ID_FIELD), so the worker's log lines for the
 * job name the request that caused it.
 */
const current = new AsyncLocalStorage<string>();

export const JOB_REQUEST_ID_FIELD = 'requestId';

export function withRequestId<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

export function currentRequestId(): string | undefined {
  return current.getStore();
}

/** The job data as queued: the payload plus the current request's id (job payload schemas drop the extra field when parsing). */
export function withRequestIdField(payload: unknown): unknown {
  const id = current.getStore();
  if (!id || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  return { ...payload, [JOB_REQUEST_ID_FIELD]: id };
}

/** The request id a job was queued with, if any. */
export function jobRequestId(data: unknown): string | undefined {
  const id = data && typeof data === 'object' ? (data as Record<string, unknown>)[JOB_REQUEST_ID_FIELD] : undefined;
  return typeof id === 'string' ? id : undefined;
}
