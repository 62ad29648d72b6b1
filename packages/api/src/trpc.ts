import { initTRPC } from '@trpc/server';
import { AppError, RateLimitedError, type ErrorCode, type Scope } from '@roster/core';
import { z } from 'zod';
import type { Context } from './context.ts';
import { TRPC_FALLBACK_APP_CODE } from './errors.ts';

/** Who may call a procedure; read by the authorization matrix test and the CLI. */
export interface Meta {
  access: 'public' | 'signedIn' | 'self' | { scope: Scope };
  /** Callable while the account awaits approval. */
  allowPending?: boolean;
  /** Callable while a password change is required. */
  allowMustChange?: boolean;
  /** Input fields that need a scope beyond `access` when they change something (checked in core, declared here for the matrix and the CLI). */
  fieldScopes?: Record<string, Scope>;
  /** Never callable with an API key, whatever its scopes (creating or managing keys, changing the password). */
  noApiKey?: boolean;
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      let appCode: ErrorCode | undefined = TRPC_FALLBACK_APP_CODE[error.code];
      let fieldErrors: Record<string, string[]> | undefined;
      let message = shape.message;
      let retryAfter: number | undefined;
      if (cause instanceof AppError) {
        appCode = cause.code;
        fieldErrors = cause.fields;
        if (cause instanceof RateLimitedError) retryAfter = cause.retryAfterSec;
      } else if (cause instanceof z.ZodError && error.code === 'BAD_REQUEST') {
        // Input only: a response failing its `.output()` schema is our bug, a plain 500 below (its issues stay in the server log).
        appCode = 'VALIDATION';
        fieldErrors = fieldErrorsOf(cause);
        message = summarise(fieldErrors);
      } else if (error.code === 'INTERNAL_SERVER_ERROR') {
        appCode = undefined;
        message = 'Internal server error';
      }
      return { ...shape, message, data: { ...shape.data, stack: undefined, appCode, fieldErrors, retryAfter } };
    },
  });

function fieldErrorsOf(err: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function summarise(fields: Record<string, string[]>): string {
  const parts = Object.entries(fields).map(([k, v]) => (k === '_' ? v[0] : `${k}: ${v[0]}`));
  return `Invalid input: ${parts.join('; ')}`;
}
