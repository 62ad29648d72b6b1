import type { RequestEvent } from '@sveltejs/kit';
import { createContext, type Context } from '@roster/api';
import { getServices, reachedOverHttps } from './services.ts';

/** Builds the tRPC context from a SvelteKit request: its cookies, client address and whether the instance is reached over https. */
export async function contextFor(event: RequestEvent): Promise<Context> {
  let ip: string | null = null;
  try {
    ip = event.getClientAddress();
  } catch {}
  return createContext(await getServices(), {
    headers: event.request.headers,
    ip,
    secure: reachedOverHttps(event.url),
    cookies: {
      get: (name) => event.cookies.get(name),
      set: (c) => event.cookies.set(c.name, c.value, { ...c.attributes }),
    },
  });
}
