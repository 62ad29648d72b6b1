import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.ts';

/** Where a webhook may not go unless its endpoint allows private networks (SSRF). */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach any IPv4 address
  ['2002::', 16], // 6to4 embeds an IPv4 address
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, ::a.b.c.d), as that IPv4 address. */
function embeddedIPv4(ip: string): string | null {
  const m = /^::(?:ffff:(?:0:)?)?(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIPv4(ip.toLowerCase());
    return (v4 !== null && blocked.check(v4, 'ipv4')) || blocked.check(ip, 'ipv6');
  }
  return true; // not an address: refuse rather than guess
}

/** The URL's host as an address or name (the URL parser has already turned 2130706433 and 0x7f.1 into 127.0.0.1). */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Every address a name resolves to; an IP literal is itself. */
export async function resolveHost(host: string): Promise<{ address: string; family: number }[]> {
  if (isIP(host)) return [{ address: host, family: isIP(host) }];
  return lookup(host, { all: true, verbatim: true });
}

const refuse = (why: string) =>
  new AppError('WEBHOOK_URL_REFUSED', `${why}; set allowPrivateNetwork to deliver to private or loopback addresses`);

/** At create and update: an http(s) URL whose host does not resolve to a private or loopback address. */
export async function assertDeliverableUrl(raw: string, allowPrivateNetwork: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION', 'The webhook URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('VALIDATION', 'The webhook URL must use http or https');
  if (url.username || url.password) throw new AppError('VALIDATION', 'The webhook URL must not carry credentials');
  if (allowPrivateNetwork) return url;
  const host = urlHost(url);
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refuse(`${host} is a private or loopback address`);
    return url;
  }
  let addresses: { address: string }[] = [];
  try {
    addresses = await resolveHost(host);
  } catch {
    return url; // not resolvable now; every delivery resolves and checks again
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw refuse(`${host} resolves to ${bad.address}, a private or loopback address`);
  return url;
}
