export * from './address-guard.ts';
export * from './attempt.ts';
export * from './deliveries.ts';
export * from './endpoints.ts';
export * from './events.ts';
export * from './signature.ts';
