import { startEmbeddedPostgres } from './src/embedded-postgres.ts';
const p = await startEmbeddedPostgres('/tmp/perf-enc/pg', { quiet: true, port: 54999 });
console.log(p.url('postgres'));
await new Promise((r) => setTimeout(r, 60000));
await p.stop();
