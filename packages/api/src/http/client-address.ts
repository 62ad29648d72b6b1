import type { IncomingMessage } from 'node:http';

/**
 * The client's address as adapter-node gives it to SvelteKit, so the API and
 * the pages agree: the socket's peer, unless the operator named a header
 * their proxy sets (ADDRESS_HEADER, and XFF_DEPTH for x-forwarded-for,
 * counted from the right: the hops the operator's own proxies added). A
 * header that was named but is absent or too short gives null, never a
 * client-chosen value.
 */
export function clientAddress(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env): string | null {
  const header = (env.ADDRESS_HEADER ?? '').toLowerCase();
  if (!header) return req.socket.remoteAddress ?? null;
  const value = req.headers[header];
  if (typeof value !== 'string') return null;
  if (header !== 'x-forwarded-for') return value.trim() || null;
  const depth = Number.parseInt(env.XFF_DEPTH ?? '1', 10);
  const hops = value.split(',');
  if (!(depth >= 1) || depth > hops.length) return null;
  return hops[hops.length - depth]!.trim() || null;
}
