import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, resolveHost, signWebhook, urlHost } from '@roster/core';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  /** The receiver can never accept it as it stands (a refused address): retrying is pointless. */
  permanent?: boolean;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * One signed POST. The host is resolved here, every address is checked
 * (unless the endpoint allows private networks), and the connection goes to
 * the checked address through the request's `lookup` hook, so a name that
 * resolves differently a moment later (DNS rebinding) cannot slip through.
 * No redirects are followed (a 3xx is a failure), the whole exchange is
 * bounded by `timeoutMs`, and at most 64 KiB of the answer is read.
 */
export async function sendWebhook(opts: {
  url: string;
  secret: string;
  id: string;
  body: string;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  now: Date;
}): Promise<SendResult> {
  const url = new URL(opts.url);
  const host = urlHost(url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    return { statusCode: null, error: `DNS: ${(err as Error).message}` };
  }
  if (!opts.allowPrivateNetwork) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return { statusCode: null, error: `Refused: ${host} resolves to ${bad.address}, a private or loopback address`, permanent: true };
  }
  // Only the addresses checked above; with `all` (Node's happy eyeballs) every one of them, so an IPv4-only receiver behind a name that also has ::1 is reached.
  const pinned = addresses[0]!;
  const lookup: LookupFunction = (_name, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as (e: null, a: typeof addresses) => void)(null, addresses);
    else cb(null, pinned.address, pinned.family);
  };
  const timestamp = Math.floor(opts.now.getTime() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks/1',
    'content-length': String(Buffer.byteLength(opts.body)),
    'webhook-id': opts.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(opts.secret, opts.id, timestamp, opts.body),
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    const req = client.request(
      url,
      { method: 'POST', headers, lookup, timeout: opts.timeoutMs, servername: url.protocol === 'https:' ? host : undefined },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_BODY_BYTES) res.destroy();
        });
        const done = () => {
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 300 ? { statusCode: code, error: null } : { statusCode: code, error: `HTTP ${code}` });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on('error', (err) => resolve({ statusCode: null, error: err.message }));
    req.end(opts.body);
  });
}
