/**
 * Upload throughput through the real HTTP endpoint (issue 4): starts a
 * throwaway embedded PostgreSQL and redis-server, runs the BUILT web app
 * (apps/web/build) as its own process, then POSTs 1,000 × 1 MiB files to
 * /api/files with a few in flight, and one large chunked body at the end.
 * Samples the server's peak RSS (VmHWM in /proc/<pid>/status) along the way:
 * it must stay flat, since bodies are streamed to disk, never buffered.
 *
 *   pnpm --filter @roster/web build && node bench/upload.ts
 *   BENCH_FILES=200 BENCH_CONCURRENCY=4 BENCH_BIG_MIB=512 node bench/upload.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startBenchApp } from './bench-app.ts';
import { loadAverage, mib, MiB } from './report.ts';

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const FILE_BYTES = Number(process.env.BENCH_FILE_MIB ?? 1) * 1024 * 1024;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 256);
const app = await startBenchApp('upload', { BODY_SIZE_LIMIT: 'Infinity' });
const { base, memory, cpuSeconds } = app;

try {
  const setup = await fetch(`${base}/api/trpc/setup.createOwner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', name: 'Bench', password: 'correct horse battery' }),
  });
  const cookie = setup.headers.getSetCookie()[0]!.split(';')[0]!;
  const body = Buffer.alloc(FILE_BYTES, 0x5a);
  const upload = async (name: string, data: BodyInit) => {
    const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers: { cookie, 'x-file-name': name, 'content-type': 'application/octet-stream' }, body: data };
    if (data instanceof ReadableStream) init.duplex = 'half';
    const res = await fetch(`${base}/api/files`, init);
    if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };

  for (let i = 0; i < 20; i++) await upload(`warm-${i}.bin`, body);
  const afterWarmUp = memory();
  const marks: { at: number; hwm: number }[] = [];
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < FILES) {
        const i = next++;
        const s = performance.now();
        await upload(`file-${i}.bin`, body);
        latencies.push(performance.now() - s);
        if ((i + 1) % 100 === 0) marks.push({ at: i + 1, hwm: memory().hwm });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuPerFileMs = ((cpuSeconds() - cpu0) * 1000) / FILES;
  const afterMany = memory();

  let sent = 0;
  const chunk = Buffer.alloc(MiB, 0x42);
  const big = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (sent >= BIG_MIB * MiB) return ctl.close();
      sent += chunk.length;
      ctl.enqueue(chunk);
    },
  });
  const tb = performance.now();
  await upload('big.bin', big);
  const bigSeconds = (performance.now() - tb) / 1000;
  const afterBig = memory();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(`uploads: ${FILES} × ${mib(FILE_BYTES)}, ${CONCURRENCY} in flight, ${os.cpus().length} CPUs, load ${loadAverage(1)}`);
  console.log(`  ${seconds.toFixed(1)} s, ${((FILES * FILE_BYTES) / MiB / seconds).toFixed(1)} MiB/s, ${(FILES / seconds).toFixed(1)} files/s, latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, server CPU ${cpuPerFileMs.toFixed(1)} ms per file`);
  console.log(`  server peak RSS (VmHWM): after warm-up ${mib(afterWarmUp.hwm)}; ${marks.sort((a, b) => a.at - b.at).map((m) => `${m.at}: ${mib(m.hwm)}`).join(', ')}`);
  console.log(`big chunked upload: ${BIG_MIB} MiB in ${bigSeconds.toFixed(1)} s (${(BIG_MIB / bigSeconds).toFixed(1)} MiB/s); VmHWM ${mib(afterMany.hwm)} → ${mib(afterBig.hwm)}`);
  console.log(
    JSON.stringify({
      files: FILES, fileBytes: FILE_BYTES, concurrency: CONCURRENCY, seconds, mibPerSecond: (FILES * FILE_BYTES) / MiB / seconds,
      filesPerSecond: FILES / seconds, p50Ms: Number(pct(0.5)), p95Ms: Number(pct(0.95)), cpuPerFileMs,
      hwmAfterWarmUp: afterWarmUp.hwm, hwmAfterUploads: afterMany.hwm, hwmAfterBig: afterBig.hwm, bigMib: BIG_MIB, bigSeconds,
    }),
  );
} finally {
  await app.stop();
}
