import { startEmbeddedPostgres } from '/work/wt/perf/packages/db/src/embedded-postgres.ts';
const p = await startEmbeddedPostgres('/var/tmp/perf-peers-1m/pg', { quiet: true, port: 36511 });
console.log('up');
process.on('SIGTERM', async () => { await p.stop(); process.exit(0); });
setInterval(() => {}, 1000);
