/** What the global setup hands every test file (vitest `inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    redisUrl: string;
    redisPort: number;
    tmpRoot: string;
  }
}

export {};
