import type { RequestEvent } from '@sveltejs/kit';
import { createContext, type Context } from '@roster/api';
import { getServices } from './services.ts';

/** Builds the tRPC context from a SvelteKit request: its cookies, client address and scheme. */
export async function contextFor(event: RequestEvent): Promise<Context> {
  let ip: string | null = null;
  try {
    ip = event.getClientAddress();
  } catch {}
  return createContext(await getServices(), {
    headers: event.request.headers,
    ip,
    secure: event.url.protocol === 'https:',
    cookies: {
      get: (name) => event.cookies.get(name),
      set: (c) => event.cookies.set(c.name, c.value, { ...c.attributes }),
    },
  });
}
