import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 (tests never send anywhere else). It
 * answers each request with the next status of `statuses` (the last one
 * repeats) and keeps what it got.
 */
export async function startReceiver(statuses: number[] = [200]) {
  const received: ReceivedHook[] = [];
  let plan = [...statuses];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = plan.length > 1 ? plan.shift()! : plan[0]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer(next: number[]) {
      plan = [...next];
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
