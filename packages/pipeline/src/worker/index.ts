/**
 * The worker side of the pipeline: the stage functions, the models they load, and the runtime
 * that runs them as BullMQ workers. Only worker processes (and `enqueue --wait` on a machine
 * without workers) load this; submitting and reading runs needs only `../client`.
 */
export * from './services.ts';
export * from './handlers.ts';
export * from './fleet.ts';
export * from './housekeeping.ts';
export * from './health.ts';
export * from './local-pipeline.ts';
export * from '../runtime/outcome.ts';
export * from '../runtime/stage.worker.ts';
export * from '../runtime/stage-workers.ts';
export * from '../runtime/results-writer.ts';
export * from '../runtime/fallback.ts';
export * from '../runtime/result-row.ts';
export * from '../runtime/metrics.ts';
export * from '../runtime/errors/rejected-input.error.ts';
export * from '../stages/audio-models.ts';
export * from '../stages/text-models.ts';
export * from '../selection/candidates.ts';
export * from '../selection/onsets.ts';
export * from '../selection/features.ts';
export * from '../selection/window.ts';
export * from '../tracks.ts';
export { gatherEvidence, type SelectionEvidence } from '../stages/selection.stage.ts';
export * from '../selection/voices.ts';
export * from '../runtime/failed-sweep.ts';
export * from '../runtime/errors/recorded-failure.error.ts';
