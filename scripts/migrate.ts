/** Applies pending migrations to DATABASE_URL (containers run this before the web server). */
import { loadEnv, requireEnv } from '../packages/config/src/index.ts';
import { migrate, openOrm } from '../packages/db/src/index.ts';

const orm = await openOrm(requireEnv(loadEnv(), 'DATABASE_URL'), { poolMax: 1 });
const applied = await migrate(orm);
await orm.close();
console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
