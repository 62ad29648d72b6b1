import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';
import { AppClient } from '../storage/http-client.ts';

/** The HTTP file endpoints enforce files.upload and files.download on every request: a removed grant counts at once, no sign-out. */
let app: RunningApp;
let owner: AppClient;
beforeAll(async () => {
  app = await startApp();
  owner = new AppClient(app.baseUrl);
  await owner.call('setup.createOwner', { email: 'owner@example.com', name: 'Olga', password: 'correct horse battery' });
});
afterAll(() => app?.stop());

async function filesOf(userId: string): Promise<number> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(`select count(*)::int as n from files where owner_id = $1`, [userId])).rows[0]!.n;
  } finally {
    await client.end();
  }
}
const errorOf = async (res: Response) => ((await res.json()) as { error: { appCode?: string; message: string } }).error;

describe('POST /api/files and GET /api/files/:id with permissions', () => {
  it('refuses an upload with 403 PERMISSION_DENIED while the key is off, and allows it from the next request once granted', async () => {
    const { user } = await owner.call('admin.users.create', { email: 'uma@example.com', name: 'Uma', password: 'correct horse battery', mustChangePassword: false });
    const uma = new AppClient(app.baseUrl);
    await uma.call('auth.signIn', { email: 'uma@example.com', password: 'correct horse battery' });

    await owner.call('admin.permissions.setDefault', { permissions: { 'files.upload': false } });
    const refused = await uma.upload(Buffer.from('hello'), { name: 'a.txt' });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ appCode: 'PERMISSION_DENIED', message: 'You do not have the permission files.upload' });
    // The Bearer door (the CLI) says the same.
    const bearer = await uma.upload(Buffer.from('hello'), { name: 'a.txt', auth: 'bearer' });
    expect(bearer.status).toBe(403);
    expect((await errorOf(bearer)).appCode).toBe('PERMISSION_DENIED');

    const group = await owner.call('admin.groups.create', { name: 'Uploaders', grants: ['files.upload'], denies: [] });
    await owner.call('admin.groups.addMembers', { groupId: group.id, userIds: [user.id] });
    const ok = await uma.upload(Buffer.from('hello'), { name: 'a.txt' });
    expect(ok.status).toBe(201);
    const { file } = (await ok.json()) as { file: { id: string } };

    await owner.call('admin.groups.removeMembers', { groupId: group.id, userIds: [user.id] });
    const again = await uma.upload(Buffer.from('hello'), { name: 'b.txt' });
    expect(again.status).toBe(403);
    expect((await errorOf(again)).appCode).toBe('PERMISSION_DENIED');
    expect(await filesOf(user.id)).toBe(1);

    // Downloads: a group that denies files.download blocks the same session's next download.
    expect((await uma.download(file.id)).status).toBe(200);
    const noDl = await owner.call('admin.groups.create', { name: 'No downloads', grants: [], denies: ['files.download'] });
    await owner.call('admin.groups.addMembers', { groupId: noDl.id, userIds: [user.id] });
    const denied = await uma.download(file.id);
    expect(denied.status).toBe(403);
    expect((await errorOf(denied)).appCode).toBe('PERMISSION_DENIED');
    // Admins keep everything.
    expect((await owner.download(file.id)).status).toBe(200);
  });
});
