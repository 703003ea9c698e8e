-- Names the fallback run a handed-over run went to, or clears the mark (ARGV[1] ''), on a record
-- that still exists. KEYS[1] run record.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '' then return redis.call('HDEL', KEYS[1], 'fallbackRunId') end
return redis.call('HSET', KEYS[1], 'fallbackRunId', ARGV[1])
