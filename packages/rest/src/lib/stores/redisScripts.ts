/**
 * The Lua scripts of `RedisStore`. Each runs atomically in Redis, so any number of processes sharing one
 * token see one set of buckets, one global window and one invalid-request counter. Time comes from Redis
 * (`TIME`, unless the store was given a `clock`), so the processes' clocks do not need to agree. It is the same
 * window model as `MemoryStore`'s; one contract suite (`__tests__/storeContract.test.ts`) runs the same scenarios
 * on simulated time against both stores, so the two cannot drift apart.
 *
 * Keys (all under `<prefix>:<sha256(token)[0..16]>`): `:g` (sorted set, global sliding window), `:gb` (global
 * block until), `:inv:<slot>` (invalid-request counters), `:r:<route>` (route → bucket hash), `:b:<bucket>:<major>`
 * (bucket state hash), `:b:<bucket>:<major>:p` / `:pu` (requests in flight per window generation, and until
 * when each generation's may still reach Discord), `:b:<bucket>:<major>:late` (answers Discord counted late).
 */

const prelude = `
-- the last argument is the injected time in ms ('' for Redis's clock)
local now = tonumber(ARGV[#ARGV])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local ns = ARGV[1]
local route = ARGV[2]
local major = ARGV[3]
local function invalidSum(iWindow)
  local slotMs = iWindow / 10
  local cur = math.floor(now / slotMs)
  local sum = 0
  local oldest = nil
  for i = cur - 10, cur do
    local c = tonumber(redis.call('GET', ns .. ':inv:' .. i) or '0')
    if c > 0 then
      sum = sum + c
      if oldest == nil then oldest = i end
    end
  end
  return sum, oldest, slotMs
end

-- requests of a bucket still in flight, over every window generation; drops answered and expired generations
-- (a generation expires one discovery timeout after its last grant: a lost request, or a dead process's,
-- stops holding slots)
local function inFlight(bk)
  local pk = bk .. ':p'
  local uk = bk .. ':pu'
  local counts = redis.call('HGETALL', pk)
  local total = 0
  for i = 1, #counts, 2 do
    local g = counts[i]
    local c = tonumber(counts[i + 1])
    if c <= 0 or tonumber(redis.call('HGET', uk, g) or '0') <= now then
      redis.call('HDEL', pk, g)
      redis.call('HDEL', uk, g)
    else
      total = total + c
    end
  end
  return total
end

-- starts a bucket's next window: late answers whose window may still be open took slots of it, and so may every
-- request still in flight (a request in flight across two resets holds a slot of both windows)
local function rollover(bk, limit, windowMs)
  local inflight = inFlight(bk)
  local previous = tonumber(redis.call('HGET', bk, 'resetAt') or '0')
  local lk = bk .. ':late'
  redis.call('ZREMRANGEBYSCORE', lk, '-inf', now)
  local taken = redis.call('ZCARD', lk)
  local provisional = 1
  local resetAt
  if taken > 0 then
    resetAt = tonumber(redis.call('ZRANGE', lk, -1, -1, 'WITHSCORES')[2])
    provisional = 0
  else
    resetAt = now + windowMs
  end
  redis.call('DEL', lk)
  local remaining = limit - inflight - taken
  redis.call('HSET', bk, 'resetAt', resetAt, 'prov', provisional, 'remaining', remaining, 'prevReset', previous)
  redis.call('HINCRBY', bk, 'gen', 1)
  return remaining, resetAt
end
`;

/**
 * ARGV: ns, route, major, global (0/1), globalLimit, globalWindowMs, invalidLimit, invalidWindowMs,
 * discoveryTimeoutMs, hashTtlMs, bucketIdleMs, member, now ('' for Redis's clock). Returns `{granted, waitMs, reason, bucket, lease}` where the
 * lease is `<bucket window generation>|<global member>` (either part may be empty).
 */
export const ACQUIRE_SCRIPT = `${prelude}
local isGlobal = ARGV[4] == '1'
local gLimit = tonumber(ARGV[5])
local gWindow = tonumber(ARGV[6])
local iLimit = tonumber(ARGV[7])
local iWindow = tonumber(ARGV[8])
local discovery = tonumber(ARGV[9])
local hashTtl = tonumber(ARGV[10])
local idle = tonumber(ARGV[11])
local member = ARGV[12]


local sum, oldest, slotMs = invalidSum(iWindow)
if sum >= iLimit then
  return {0, math.max(1, math.ceil((oldest + 11) * slotMs - now)), 'invalid', ''}
end
if isGlobal then
  local blocked = tonumber(redis.call('GET', ns .. ':gb') or '0')
  if blocked > now then return {0, blocked - now, 'global', ''} end
  -- completed requests are scored by completion time, in-flight ones by when their lease expires (future)
  redis.call('ZREMRANGEBYSCORE', ns .. ':g', '-inf', now - gWindow)
  if redis.call('ZCARD', ns .. ':g') >= gLimit then
    local first = tonumber(redis.call('ZRANGE', ns .. ':g', 0, 0, 'WITHSCORES')[2])
    if first > now then return {0, 10, 'global', ''} end
    return {0, math.max(1, first + gWindow - now), 'global', ''}
  end
end

local routeKey = ns .. ':r:' .. route
local hash = redis.call('GET', routeKey)
local key = nil
local gen = ''
if hash == false then
  key = '?' .. route .. ':' .. major
else
  redis.call('PEXPIRE', routeKey, hashTtl)
  if hash ~= '' then key = hash .. ':' .. major end
end
if key then
  local bk = ns .. ':b:' .. key
  local s = redis.call('HMGET', bk, 'limit', 'remaining', 'resetAt', 'windowMs', 'probeUntil')
  if s[1] == false then
    if hash ~= false then
      -- the route's own probe (sent before its hash was known) may still be in flight for this major
      local p = redis.call('HMGET', ns .. ':b:?' .. route .. ':' .. major, 'limit', 'probeUntil')
      if p[1] == '-1' and tonumber(p[2]) > now then return {0, tonumber(p[2]) - now, 'discovery', key} end
    end
    redis.call('HSET', bk, 'limit', -1, 'remaining', 0, 'resetAt', 0, 'windowMs', 0, 'probeUntil', now + discovery)
    redis.call('PEXPIRE', bk, discovery + idle)
  else
    local limit = tonumber(s[1])
    if limit < 0 then
      local probeUntil = tonumber(s[5])
      if probeUntil > now then return {0, probeUntil - now, 'discovery', key} end
      redis.call('HSET', bk, 'probeUntil', now + discovery)
      redis.call('PEXPIRE', bk, discovery + idle)
    else
      local remaining = tonumber(s[2])
      local resetAt = tonumber(s[3])
      if resetAt <= now then
        -- the next window starts at the reset estimate, keeping a slot for every request still in flight; only a
        -- window no answer has described yet (its reset is a guess) waits for its first answer (or until overdue)
        if redis.call('HGET', bk, 'prov') == '1' and inFlight(bk) > 0 and now < resetAt + discovery then return {0, 25, 'bucket', key} end
        remaining, resetAt = rollover(bk, limit, tonumber(s[4]))
      end
      if remaining <= 0 then return {0, math.max(1, resetAt - now), 'bucket', key} end
      redis.call('HSET', bk, 'remaining', remaining - 1)
      gen = redis.call('HGET', bk, 'gen') or '0'
      redis.call('HINCRBY', bk .. ':p', gen, 1)
      redis.call('HSET', bk .. ':pu', gen, now + discovery)
      redis.call('PEXPIRE', bk, math.max(resetAt - now, 0) + idle)
      redis.call('PEXPIRE', bk .. ':p', discovery + idle)
      redis.call('PEXPIRE', bk .. ':pu', discovery + idle)
    end
  end
end
if isGlobal then
  redis.call('ZADD', ns .. ':g', now + discovery, member)
  redis.call('PEXPIRE', ns .. ':g', gWindow + discovery + 1000)
  return {1, 0, '', key or '', gen .. '|' .. member}
end
return {1, 0, '', key or '', gen .. '|'}
`;

/**
 * ARGV: ns, route, major, status, hasHash (0/1), hash, limit, remaining, resetAfterMs, retryAfterMs, scope,
 * global (0/1), offsetMs, invalidWindowMs, hashTtlMs, bucketIdleMs, lease, sent ('0' when the request never left its
 * process), now ('' for Redis's clock) ('' for absent numbers / no lease).
 * Returns `{discoveredHash or '', invalidCount}`.
 */
export const COMPLETE_SCRIPT = `${prelude}
local status = tonumber(ARGV[4])
local hasHash = ARGV[5] == '1'
local hash = ARGV[6]
local limit = tonumber(ARGV[7])
local remaining = tonumber(ARGV[8])
local resetAfter = tonumber(ARGV[9])
local retryAfter = tonumber(ARGV[10]) or 1000
local scope = ARGV[11]
local globalHit = ARGV[12] == '1' or scope == 'global'
local offset = tonumber(ARGV[13])
local iWindow = tonumber(ARGV[14])
local hashTtl = tonumber(ARGV[15])
local idle = tonumber(ARGV[16])
local shared = scope == 'shared'
local lease = ARGV[17]
local sep = string.find(lease, '|', 1, true)
local leaseGen = ''
local leaseMember = ''
if sep then
  leaseGen = string.sub(lease, 1, sep - 1)
  leaseMember = string.sub(lease, sep + 1)
end
local sent = ARGV[18] ~= '0'
if leaseMember ~= '' then
  -- a request that reached Discord counts for one more global window; one that never left counts no more
  if sent then redis.call('ZADD', ns .. ':g', 'XX', now, leaseMember) else redis.call('ZREM', ns .. ':g', leaseMember) end
end
-- whether this answer's request held a slot kept in the current window (it was in flight at the last reset)
local kept = false
if leaseGen ~= '' and (not sent or status ~= 0) then
  -- the grant came from a known bucket: it is no longer in flight (one that may have reached Discord without an
  -- answer keeps its slot until its record expires)
  local granted = redis.call('GET', ns .. ':r:' .. route)
  if granted and granted ~= '' then
    local gk = ns .. ':b:' .. granted .. ':' .. major
    local pk = gk .. ':p'
    if redis.call('HEXISTS', pk, leaseGen) == 1 then
      if redis.call('HINCRBY', pk, leaseGen, -1) <= 0 then
        redis.call('HDEL', pk, leaseGen)
        redis.call('HDEL', gk .. ':pu', leaseGen)
      end
      kept = leaseGen ~= (redis.call('HGET', gk, 'gen') or '0')
      if not sent and not kept then
        -- never sent: the slot of its own window is free again
        local h = redis.call('HMGET', gk, 'remaining', 'limit')
        if tonumber(h[1]) < tonumber(h[2]) then redis.call('HINCRBY', gk, 'remaining', 1) end
      end
    end
  end
end

if status == 401 or status == 403 or (status == 429 and not shared) then
  local slotMs = iWindow / 10
  local k = ns .. ':inv:' .. math.floor(now / slotMs)
  redis.call('INCR', k)
  redis.call('PEXPIRE', k, math.ceil(iWindow + 2 * slotMs))
end
local sum = invalidSum(iWindow)

if status == 429 and globalHit then
  local untilT = now + retryAfter + offset
  local current = tonumber(redis.call('GET', ns .. ':gb') or '0')
  if untilT > current then redis.call('SET', ns .. ':gb', untilT, 'PX', math.ceil(retryAfter + offset)) end
end

local routeKey = ns .. ':r:' .. route
local probeKey = ns .. ':b:?' .. route .. ':' .. major
if not hasHash then
  -- the probe of this major ends either way (also one held under the route's previous hash)
  local known = redis.call('GET', routeKey)
  local keys = {probeKey}
  if known and known ~= '' then keys[2] = ns .. ':b:' .. known .. ':' .. major end
  for _, k in ipairs(keys) do
    if redis.call('HGET', k, 'limit') == '-1' then redis.call('HSET', k, 'probeUntil', 0) end
  end
  if not (status == 0 or status >= 500 or status == 429) then
    redis.call('DEL', probeKey)
    redis.call('SET', routeKey, '', 'PX', hashTtl)
  end
  return {'', sum}
end

local discovered = ''
local previous = redis.call('GET', routeKey)
if previous ~= hash then
  discovered = hash
  -- a probe this major held under the route's previous hash is over
  if previous and previous ~= '' then
    local old = ns .. ':b:' .. previous .. ':' .. major
    if redis.call('HGET', old, 'limit') == '-1' then redis.call('HSET', old, 'probeUntil', 0) end
  end
end
redis.call('SET', routeKey, hash, 'PX', hashTtl)
redis.call('DEL', probeKey)
local bk = ns .. ':b:' .. hash .. ':' .. major
-- remaining, gen and prov are read after a possible rollover below
local s = redis.call('HMGET', bk, 'limit', 'resetAt', 'windowMs')
if limit and remaining and resetAfter then
  local windowMs = resetAfter + offset
  local estimate = now + windowMs
  if s[1] == false or tonumber(s[1]) < 0 then
    redis.call('HSET', bk, 'limit', limit, 'remaining', remaining, 'resetAt', estimate, 'windowMs', windowMs, 'probeUntil', 0,
      'gen', 0, 'prov', 0)
  else
    local wm = math.max(tonumber(s[3]), windowMs)
    redis.call('HSET', bk, 'limit', limit, 'windowMs', wm)
    if leaseGen == '' and tonumber(s[2]) <= now then
      -- an answer we cannot place (another route's first request) after our window ended describes the next one:
      -- open it (keeping slots for requests in flight), then fold the answer in
      rollover(bk, limit, wm)
    end
    local f = redis.call('HMGET', bk, 'remaining', 'resetAt', 'gen', 'prov', 'prevReset')
    local have = tonumber(f[1])
    local known = tonumber(f[2])
    local prov = f[4] == '1'
    local current = leaseGen == '' or leaseGen == (f[3] or '0')
    local half = wm / 2
    if not (current and prov) and estimate > known + half then
      -- Discord counted this request in a later window than ours: it takes a slot of that window
      local lk = bk .. ':late'
      if redis.call('ZCARD', lk) < 1000 then redis.call('ZADD', lk, estimate, redis.call('INCR', ns .. ':seq')) end
      redis.call('PEXPIRE', lk, math.ceil(wm * 2 + idle))
    elseif not current and estimate <= tonumber(f[5] or '0') + half then
      -- counted in an earlier window: the slot kept for it in ours (if one was) is free again
      if kept then redis.call('HSET', bk, 'remaining', math.min(limit, have + 1)) end
    elseif prov then
      -- the first answer that describes a guessed window replaces the guess
      redis.call('HSET', bk, 'resetAt', math.max(known, estimate), 'remaining', math.min(have, remaining), 'prov', 0)
    else
      -- every estimate is at or after the true reset, so the earliest one of a window is the tightest safe one
      redis.call('HSET', bk, 'remaining', math.min(have, remaining), 'resetAt', math.min(known, estimate))
    end
  end
  redis.call('PEXPIRE', bk, math.ceil(windowMs + idle))
elseif s[1] ~= false and tonumber(s[1]) < 0 then
  redis.call('HSET', bk, 'probeUntil', 0)
end

if status == 429 and not shared and not globalHit and (remaining or 0) <= 0 then
  local untilT = now + retryAfter + offset
  local c = redis.call('HMGET', bk, 'limit', 'resetAt')
  if c[1] == false or tonumber(c[1]) < 0 then
    redis.call('HSET', bk, 'limit', limit or 1, 'remaining', 0, 'resetAt', untilT, 'windowMs', untilT - now, 'probeUntil', 0)
  else
    redis.call('HSET', bk, 'remaining', 0, 'resetAt', math.max(tonumber(c[2]), untilT), 'prov', 0)
  end
  redis.call('PEXPIRE', bk, math.ceil(untilT - now + idle))
end
return {discovered, sum}
`;
