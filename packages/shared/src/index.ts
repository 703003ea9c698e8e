export * from './stages.ts';
export * from './contracts.ts';
export * from './results.ts';
export * from './config.ts';
export * from './logger.ts';
export * from './errors/index.ts';
