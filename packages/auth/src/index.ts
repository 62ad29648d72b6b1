export * from './passwords.ts';
export * from './hash-pool.ts';
export * from './sessions.ts';
export * from './tokens.ts';
