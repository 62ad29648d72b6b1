export * from './actions.ts';
export * from './preview.ts';
export * from './run.ts';
export * from './selection.ts';
export * from './job-status.ts';
