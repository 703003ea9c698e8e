-- Written by the worker that ends a run, once its result row is safe, in one call: the run's
-- outcome, the release of its episode's claim (only if the run still holds it), and the taking
-- of the completion callbacks it owes (a second end of the same run owes none), and the news
-- to whoever waits on the run.
-- KEYS[1] run record, KEYS[2] the episode's claim, KEYS[3] the run's callbacks.
-- ARGV: episode id, state, enqueuedAtMs, outcome (JSON), record TTL (ms), run id, run-ended channel.
redis.call('HSET', KEYS[1], 'episodeId', ARGV[1], 'state', ARGV[2], 'enqueuedAtMs', ARGV[3], 'outcome', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if redis.call('GET', KEYS[2]) == ARGV[6] then redis.call('DEL', KEYS[2]) end
local callbacks = redis.call('LRANGE', KEYS[3], 0, -1)
redis.call('DEL', KEYS[3])
redis.call('PUBLISH', ARGV[7], ARGV[6])
return callbacks
