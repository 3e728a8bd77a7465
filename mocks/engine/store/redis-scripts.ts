/**
 * The Lua the Redis store runs where several commands must happen as one: Redis runs a script
 * atomically, so two replicas can never both take a job or both count the same bytes.
 */
import type { Redis } from "ioredis";

/**
 * KEYS: blob, blob index (zset by age), sizes (hash), total bytes. ARGV: data, ttlMs, cap, now.
 * Stores the blob and evicts the oldest others until the total is back under the cap.
 */
export const putBlobScript = `
local old = redis.call('HGET', KEYS[3], KEYS[1])
if old then redis.call('DECRBY', KEYS[4], old) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local size = string.len(ARGV[1])
redis.call('HSET', KEYS[3], KEYS[1], size)
redis.call('ZADD', KEYS[2], ARGV[4], KEYS[1])
local total = redis.call('INCRBY', KEYS[4], size)
local cap = tonumber(ARGV[3])
while total > cap do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not oldest or oldest == KEYS[1] then break end
  local bytes = redis.call('HGET', KEYS[3], oldest) or 0
  redis.call('ZREM', KEYS[2], oldest)
  redis.call('HDEL', KEYS[3], oldest)
  redis.call('DEL', oldest)
  total = redis.call('DECRBY', KEYS[4], bytes)
end
return total
`;

/** KEYS: blob index, sizes, total bytes. ARGV: keys to delete (blobs or not). */
export const forgetKeysScript = `
for _, key in ipairs(ARGV) do
  local bytes = redis.call('HGET', KEYS[2], key)
  if bytes then
    redis.call('DECRBY', KEYS[3], bytes)
    redis.call('HDEL', KEYS[2], key)
    redis.call('ZREM', KEYS[1], key)
  end
  redis.call('DEL', key)
end
return #ARGV
`;

/**
 * KEYS: jobs (zset by due time), payloads (hash). ARGV: now, leaseMs, limit.
 * Takes due jobs and pushes each one's score to the end of its lease, so no other caller sees it
 * until then; an acknowledged job is gone, an abandoned one comes due again.
 */
export const takeDueScript = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
local leased = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], leased, id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
end
return out
`;

/**
 * KEYS: index (zset). ARGV: member, score, cap, ttlMs.
 * Adds the member, keeps the `cap` highest-scored, and lengthens (never shortens) the index's life.
 */
export const addToIndexScript = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
local ttl = tonumber(ARGV[4])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/** KEYS: lease. ARGV: owner. Deletes the lease only while `owner` holds it. */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: window (zset: event id scored by its time). ARGV: now, windowMs, limit, id, idleMs.
 * Drops events that left the window, then counts this one unless the window is full; refused,
 * it returns the oldest event's time (when a place frees up). Times are the callers' (a
 * namespace's virtual clock), never Redis's own.
 */
export const countInWindowScript = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return {1}
end
return {0, redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]}
`;

/** Now on Redis's own clock (ms): one clock for every replica's leases, whatever theirs say. */
const redisNow = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/** Keeps the slots' key at least until `ends` (its last lease's end). */
const keepUntil = `
local function keepUntil(ends, now)
  if redis.call('PTTL', KEYS[1]) < ends - now then redis.call('PEXPIRE', KEYS[1], ends - now) end
end
`;

/**
 * KEYS: slots (zset: slot scored by when its lease ends). ARGV: holder, count, limit, leaseMs.
 * Drops lapsed leases, then takes `count` slots (`holder#1`…) unless that goes over `limit`.
 */
export const takeSlotsScript = `${redisNow}${keepUntil}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) + count > tonumber(ARGV[3]) then return 0 end
local ends = now + tonumber(ARGV[4])
for i = 1, count do redis.call('ZADD', KEYS[1], ends, ARGV[1] .. '#' .. i) end
keepUntil(ends, now)
return 1
`;

/** KEYS: slots. ARGV: leaseMs, slots… Restarts the leases of the slots still held. */
export const renewSlotsScript = `${redisNow}${keepUntil}
local ends = now + tonumber(ARGV[1])
for i = 2, #ARGV do
  local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if current and tonumber(current) > now then redis.call('ZADD', KEYS[1], ends, ARGV[i]) end
end
keepUntil(ends, now)
return 1
`;

/**
 * KEYS: record. ARGV: field. Adds one to the field and returns the whole record (HGETALL's flat
 * list); an empty list, and no record created, when the record does not exist.
 */
export const getCountingScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return redis.call('HGETALL', KEYS[1])
`;

/** KEYS: record. ARGV: field, by. HINCRBY on a record that exists; nil, creating nothing, if not. */
export const incrExistingScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
`;

/** Each script's key count and body, by the command name the store runs it as. */
const commands: Record<string, [numberOfKeys: number, lua: string]> = {
  uhPutBlob: [4, putBlobScript],
  uhForget: [3, forgetKeysScript],
  uhTakeDue: [2, takeDueScript],
  uhRelease: [1, releaseScript],
  uhCountInWindow: [1, countInWindowScript],
  uhTakeSlots: [1, takeSlotsScript],
  uhRenewSlots: [1, renewSlotsScript],
  uhAddToIndex: [1, addToIndexScript],
  uhGetCounting: [1, getCountingScript],
  uhIncrExisting: [1, incrExistingScript],
};

/** Makes every script a command of the connection (sent by hash, loaded once by ioredis). */
export function defineScripts(redis: Redis): void {
  for (const [name, [numberOfKeys, lua]] of Object.entries(commands))
    redis.defineCommand(name, { numberOfKeys, lua });
}
