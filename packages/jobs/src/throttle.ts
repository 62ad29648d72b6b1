import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Admission, Throttle, ThrottleHold, ThrottleKey, ThrottleLimits } from '@roster/core';

/**
 * One atomic step per credential attempt (Redis runs a script alone, so
 * concurrent web processes cannot both slip under a limit). Time is Redis's
 * own, one clock for every process.
 * KEYS: 1 the account's attempts (zset), 2 its hold (hash: until, count),
 * 3 the address's attempts (zset), 4 held accounts, 5 held addresses (zsets by end).
 * Returns {0} admitted, or {1 account | 2 address, wait ms, 1 when this call started the hold}.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, maxFail, holdMs, maxHold, ipMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local member, account, ip = ARGV[6] .. ':' .. now, ARGV[7], ARGV[8]
if account ~= '' then
  local untilMs = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
  if untilMs > now then return {1, untilMs - now, 0} end
end
if ip ~= '' then
  local heldUntil = tonumber(redis.call('ZSCORE', KEYS[5], ip) or '0')
  if heldUntil > now then return {2, heldUntil - now, 0} end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
  if redis.call('ZCARD', KEYS[3]) >= ipMax then
    local untilMs = tonumber(redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]) + window
    redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
    redis.call('ZADD', KEYS[5], untilMs, ip)
    redis.call('PEXPIRE', KEYS[5], window)
    return {2, untilMs - now, 1}
  end
end
if account ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if redis.call('ZCARD', KEYS[1]) >= maxFail then
    -- Keycloak's growing wait: each hold within one quiet period doubles the last.
    local holds = redis.call('HINCRBY', KEYS[2], 'count', 1)
    local wait = math.floor(math.min(holdMs * 2 ^ (holds - 1), maxHold))
    redis.call('HSET', KEYS[2], 'until', now + wait)
    redis.call('PEXPIRE', KEYS[2], wait + window)
    redis.call('DEL', KEYS[1])
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
    redis.call('ZADD', KEYS[4], now + wait, account)
    redis.call('PEXPIRE', KEYS[4], maxHold + window)
    return {1, wait, 1}
  end
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('PEXPIRE', KEYS[1], window)
end
if ip ~= '' then
  redis.call('ZADD', KEYS[3], now, member)
  redis.call('PEXPIRE', KEYS[3], window)
end
return {0, 0, 0, now}
`;

/** Ends holds in force (keyed by end time in ms) and returns the index without the ended ones. */
const HOLDS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
return {redis.call('ZRANGE', KEYS[1], 0, 999, 'WITHSCORES'), redis.call('ZRANGE', KEYS[2], 0, 999, 'WITHSCORES')}
`;

/** A fixed-window use counter: KEYS[1] the counter; ARGV limit, window ms. Returns 0, or the ms left in a full window. */
const COUNT_USE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return math.max(1, redis.call('PTTL', KEYS[1])) end
return 0
`;

type Commands = Redis & {
  rosterCountUse(key: string, limit: number, windowMs: number): Promise<number>;
  rosterAdmit(...args: (string | number)[]): Promise<number[]>;
  rosterHolds(...args: string[]): Promise<[string[], string[]]>;
};

/**
 * The brute-force limiter over Redis, shared by every web process. Its
 * connection fails fast (no offline queue, a short command timeout) so a
 * Redis outage never holds a sign-in up; core then lets attempts through
 * and logs it. Keys carry the instance id, so databases sharing one Redis
 * (test files, several instances) keep their own counters.
 */
export function createRedisThrottle(redisUrl: string, instanceId: () => Promise<string>): Throttle & { close(): Promise<void> } {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
  }) as Commands;
  redis.on('error', () => {}); // reported per call by core's fail-open warning
  redis.defineCommand('rosterAdmit', { numberOfKeys: 5, lua: ADMIT });
  redis.defineCommand('rosterHolds', { numberOfKeys: 2, lua: HOLDS });
  redis.defineCommand('rosterCountUse', { numberOfKeys: 1, lua: COUNT_USE });
  let prefix: Promise<string> | undefined;
  const keys = async () => {
    prefix ??= instanceId().then(
      (id) => `roster:throttle:${id}:`,
      (err) => {
        prefix = undefined;
        throw err;
      },
    );
    const p = await prefix;
    return {
      attempts: (account: string) => `${p}account:${account}:attempts`,
      hold: (account: string) => `${p}account:${account}:hold`,
      address: (ip: string) => `${p}ip:${ip}`,
      heldAccounts: `${p}held:accounts`,
      heldAddresses: `${p}held:ips`,
      use: (key: string) => `${p}use:${key}`,
    };
  };

  return {
    async admit(key: ThrottleKey, limits: ThrottleLimits): Promise<Admission> {
      const k = await keys();
      const account = key.account ?? '';
      const ip = key.ip ?? '';
      const ticket = randomBytes(8).toString('hex');
      const [verdict, waitMs, isNew, now] = await redis.rosterAdmit(
        k.attempts(account),
        k.hold(account),
        k.address(ip),
        k.heldAccounts,
        k.heldAddresses,
        limits.windowMs,
        limits.accountFailures,
        limits.holdMs,
        limits.maxHoldMs,
        limits.ipAttempts,
        ticket,
        account,
        ip,
      );
      if (verdict === 0) return { ok: true, ticket: `${ticket}:${now}` };
      return { ok: false, retryAfterMs: waitMs!, heldKind: verdict === 1 ? 'account' : 'ip', newHold: isNew === 1 };
    },
    async countUse(key, limit, windowMs) {
      const k = await keys();
      return redis.rosterCountUse(k.use(key), limit, windowMs);
    },
    async confirm(account, ticket) {
      const k = await keys();
      await redis.zrem(k.attempts(account), ticket);
    },
    async holds(): Promise<ThrottleHold[]> {
      const k = await keys();
      const [accounts, addresses] = await redis.rosterHolds(k.heldAccounts, k.heldAddresses);
      const pairs = (flat: string[], kind: ThrottleHold['kind']) =>
        Array.from({ length: flat.length / 2 }, (_, i) => ({ kind, key: flat[2 * i]!, until: new Date(Number(flat[2 * i + 1])) }));
      return [...pairs(accounts, 'account'), ...pairs(addresses, 'ip')].sort((a, b) => a.until.getTime() - b.until.getTime());
    },
    async release(kind, key) {
      const k = await keys();
      if (kind === 'account') {
        const [[, removed]] = (await redis.multi().zrem(k.heldAccounts, key).del(k.hold(key), k.attempts(key)).exec())!;
        return removed === 1;
      }
      const [[, removed]] = (await redis.multi().zrem(k.heldAddresses, key).del(k.address(key)).exec())!;
      return removed === 1;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
