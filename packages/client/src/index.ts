import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from './router.ts';

export type { AppRouter, RouterInputs, RouterOutputs } from './router.ts';
export { TRPCClientError } from '@trpc/client';
export { readWebhook, verifyWebhook, WebhookVerificationError, type RosterWebhook, type VerifyOptions, type WebhookHeaders } from './webhooks.ts';

export type RosterClient = TRPCClient<AppRouter>;

export interface RosterClientOptions {
  /** The instance's base URL, e.g. `https://roster.example.com` (the API is at `/api/trpc` below it). */
  url: string;
  /** An API key (`rst_…`) from `roster keys create` or the profile page; sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Replaces the global fetch (for a proxy, timeouts or tests). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers on every request, e.g. a user agent naming your service. */
  headers?: Record<string, string>;
}

/**
 * A typed client for one Roster instance, acting as the key's user within
 * the key's scopes: `await roster.admin.users.list.query({ page: 1, pageSize: 20 })`.
 * Calls made in the same tick go out as one batched request.
 */
export function createRosterClient(opts: RosterClientOptions): RosterClient {
  if (!opts.apiKey.startsWith('rst_')) throw new Error('createRosterClient: apiKey must be a Roster API key (rst_…)');
  const url = `${opts.url.replace(/\/+$/, '')}/api/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        fetch: opts.fetch,
        headers: () => ({ ...opts.headers, authorization: `Bearer ${opts.apiKey}` }),
      }),
    ],
  });
}
