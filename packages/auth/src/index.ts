export * from './passwords.ts';
export * from './sessions.ts';
export * from './tokens.ts';
