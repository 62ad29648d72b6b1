/**
 * What observeRequests (packages/api/src/http/observe.ts) adds to every
 * request, in-process so the figure holds on a loaded machine: a listener
 * that ends the response at once, called N times bare and wrapped (request
 * id, AsyncLocalStorage scope, metrics, one pino JSON line written to
 * /dev/null with a write(2) per line, as to a pipe). Rounds interleave the
 * variants; the best round of each is reported (least disturbed by other load).
 *
 *   node bench/observe.ts            # BENCH_N=200000 BENCH_ROUNDS=5
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import { Writable } from 'node:stream';
import { createLogger } from '../packages/config/src/logger.ts';
import { createMetrics } from '../packages/api/src/http/metrics.ts';
import { observeRequests } from '../packages/api/src/http/observe.ts';
import { loadAverage } from './report.ts';

const N = Number(process.env.BENCH_N ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const devNull = fs.openSync('/dev/null', 'w');
const destination = new Writable({
  write(chunk, _enc, done) {
    fs.writeSync(devNull, chunk);
    done();
  },
});

class FakeRes extends EventEmitter {
  statusCode = 200;
  writableFinished = true;
  setHeader() {}
}
const listener = (_req: IncomingMessage, res: ServerResponse) => void res.emit('close');
const metrics = createMetrics(() => Promise.reject(new Error('not scraped here')));
const variants: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  bare: listener,
  'observed, LOG_LEVEL=warn (id, scope, metrics)': observeRequests(metrics, createLogger('web', { level: 'warn', destination }))(listener),
  'observed, LOG_LEVEL=info (+ one JSON line)': observeRequests(metrics, createLogger('web', { level: 'info', destination }))(listener),
};

function run(fn: (req: IncomingMessage, res: ServerResponse) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const req = { url: '/api/trpc/auth.me', method: 'GET', headers: {} } as IncomingMessage;
    fn(req, new FakeRes() as unknown as ServerResponse);
  }
  return Number(process.hrtime.bigint() - start) / N / 1000; // µs per request
}

const loadAtStart = loadAverage();
for (const fn of Object.values(variants)) run(fn); // warm-up
const best: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of Object.entries(variants)) best[name] = Math.min(best[name] ?? Infinity, run(fn));
const bare = best.bare!;
console.log(`${N} requests per round, best of ${ROUNDS} rounds; µs of CPU per request in this process`);
for (const [name, us] of Object.entries(best)) console.log(`${name.padEnd(48)} ${us.toFixed(2).padStart(7)} µs  (+${(us - bare).toFixed(2)} µs over bare)`);
console.log(`load average ${loadAtStart} at the start, ${loadAverage()} at the end; ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}`);
