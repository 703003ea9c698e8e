-- Marks a run as handed to the fallback variant, unless it already was: one fallback per run,
-- however many workers see it fail or pass its deadline at once. A record that has expired is
-- never recreated.
-- KEYS[1] run record; ARGV[1] the fallback run's id; ARGV[2] the state the run must still be in
-- ('' for any). Returns 1 when this call marked it.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if ARGV[2] ~= '' and state ~= ARGV[2] then return 0 end
return redis.call('HSETNX', KEYS[1], 'fallbackRunId', ARGV[1])
