-- Reserves a place for a run among a credential's costly runs in flight, unless it has ARGV[2]
-- already. KEYS[1] the credential's set; ARGV: run id, max, now (ms), TTL (ms). Returns 1 when
-- reserved.
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
