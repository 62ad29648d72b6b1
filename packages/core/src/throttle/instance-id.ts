import type { EntityManager } from '@roster/db';

/**
 * A random id for this instance's database, made on first use (not by a
 * migration: test databases cloned from one migrated template must each get
 * their own), so instances or test databases sharing one Redis never share
 * counters. Stored in `settings` beside the instance settings, which ignore it.
 */
export async function instanceId(em: EntityManager): Promise<string> {
  await em.execute(
    `insert into settings (key, value, updated_at) values ('instanceId', to_jsonb(gen_random_uuid()::text), now())
     on conflict (key) do nothing`,
  );
  const [row] = await em.execute<{ value: string }[]>(`select value from settings where key = 'instanceId'`);
  return row!.value;
}
