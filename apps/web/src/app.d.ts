import type { Context } from '@roster/api';

declare global {
  namespace App {
    interface Locals {
      /** The tRPC context for this request: the caller, their session, a fresh EntityManager. */
      ctx: Context;
    }
    interface Error {
      message: string;
      appCode?: string;
    }
  }
}
export {};
