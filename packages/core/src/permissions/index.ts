export * from './catalogue.ts';
export * from './catalogue-file.ts';
export * from './check-permissions.ts';
export * from './default-template.ts';
export * from './effective.ts';
export * from './resolve.ts';
export * from './scopes.ts';
export * from './values-cache.ts';
