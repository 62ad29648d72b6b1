import { Redis } from 'ioredis';

/**
 * Workers block on Redis and must retry forever (BullMQ requires
 * maxRetriesPerRequest: null). Producers in the web process fail fast
 * instead, so a request never hangs on a Redis outage and the database
 * outbox takes over.
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): Redis {
  return role === 'worker'
    ? new Redis(url, { maxRetriesPerRequest: null })
    : new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: false });
}
