/**
 * Key prefixes by deployment shape. On one server (direct or through Sentinel) the configured
 * prefix is used as is. In a Redis Cluster a script or transaction may only touch keys of one
 * hash slot, so the prefixes carry hash tags (`{…}`: only the tag is hashed):
 * - each queue gets its own tag: BullMQ's scripts touch many keys of one queue at once (wait,
 *   prioritized, active, the job hash, events), never two queues' keys in one call, so each
 *   queue's keys share a slot and different stages' queues spread over the nodes;
 * - our own keys (run records, claims, newest runs, dead letters) share one tag: the run-ended
 *   script writes a run's record and releases its episode's claim in one call.
 */
export function queueKeyPrefix(prefix: string, queue: string, clustered: boolean): string {
  return clustered ? `{${prefix}:${queue}}` : prefix;
}

export function ownKeyPrefix(prefix: string, clustered: boolean): string {
  return clustered ? `{${prefix}}` : prefix;
}
