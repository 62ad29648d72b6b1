export * from './connection.ts';
export * from './definition.ts';
export * from './queue.ts';
export * from './registry.ts';
export * from './worker.ts';
export * from './producer.ts';
export * from './sweeper.ts';
export * from './throttle.ts';
