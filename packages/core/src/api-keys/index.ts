export * from './create-api-key.ts';
export * from './dto.ts';
export * from './key-store.ts';
export * from './manage-api-keys.ts';
export * from './key-rate.ts';
