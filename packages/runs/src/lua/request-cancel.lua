-- Marks a queued or running run for cancellation: workers stop it at the next stage boundary.
-- KEYS[1] run record. Returns 'requested', 'ended' (it had already ended) or 'unknown' (no such
-- run, or its record expired).
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'unknown' end
if state ~= 'queued' then return 'ended' end
redis.call('HSET', KEYS[1], 'cancelRequested', '1')
return 'requested'
