export * from './audit-scope.ts';
export * from './chain.ts';
export * from './field-diff.ts';
export * from './list-audit.ts';
export * from './prune-audit.ts';
export * from './redact.ts';
export * from './verify-chain.ts';
