export * from './blob-store.ts';
export * from './blob.keys.ts';
export * from './blob.contracts.ts';
export * from './json.blob.ts';
export * from './float32.ts';
export * from './int16.ts';
