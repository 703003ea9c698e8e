-- One point per minute of the dashboard's series however many dashboards record (the first
-- wins), trimmed to ARGV[3] points in the same call. KEYS[1] the series; ARGV: minute, point.
if redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[1]) > 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[3]) - 1)
return 1
