-- Compare-and-set: KEYS[1] becomes ARGV[2] (for ARGV[3] ms) only while it holds ARGV[1], so a
-- stale holder never clobbers a newer one. Returns 1 when it was replaced.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
