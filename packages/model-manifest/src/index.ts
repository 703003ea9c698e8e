/**
 * The model manifest read as data: entries, paths and the weights' integrity check, with no
 * onnxruntime. The client side (`doctor`, the dashboard) reads it from here; the models
 * package, which runs the models, builds on it and re-exports it.
 */
export * from './manifest.ts';
export * from './errors/model-integrity.error.ts';
