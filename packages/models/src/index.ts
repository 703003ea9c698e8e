export * from './manifest.ts';
export * from './session.ts';
export * from './vad.silero.ts';
