/**
 * The client side of the pipeline: what the producer, the HTTP API and the dashboard need to
 * submit episodes and read runs and queues. It loads no models, no stage code and no audio
 * tooling, so those processes start fast and stay small; the worker side is `@podpreview/pipeline/worker`.
 */
export * from './redis.keys.ts';
export * from './redis.ts';
export * from './key-prefix.ts';
export * from './run-record.ts';
export * from './run-store.ts';
export * from './queues.ts';
export * from './enqueue.ts';
export * from './answer.ts';
export * from './status.ts';
export * from './wait.ts';
export * from './backlog.ts';
export * from './redis.server.ts';
export * from './callbacks.ts';
export * from './replay.ts';
export * from './quota.ts';
export * from './urgent.ts';
export * from './subscriber.ts';
export * from './telemetry.ts';
export * from './lua/index.ts';
