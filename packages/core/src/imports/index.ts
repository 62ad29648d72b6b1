export * from './csv-columns.ts';
export * from './csv-source.ts';
export * from './import-row.ts';
export * from './import-status.ts';
export * from './import-store.ts';
export * from './import-users.ts';
export * from './start-import.ts';
