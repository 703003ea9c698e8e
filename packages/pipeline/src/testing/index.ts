/** Helpers for tests and benches of the stage runtime (`@podpreview/pipeline/testing`). */
export { succeededResult, TRIVIAL_CONTENT_HASH, trivialStageHandlers } from './trivial-stages.ts';
