export * from './context.ts';
export * from './errors.ts';
export * from './root.ts';
export * from './services.ts';
export type { Meta } from './trpc.ts';
export * from './batch-limit.ts';
export * from './web-instance.ts';
export * from './http/trpc-handler.ts';
export * from './http/security-headers.ts';
