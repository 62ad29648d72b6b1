/**
 * An example of a service that uses Roster: it lists users, asks whether a
 * user may do something, and receives Roster's signed webhooks. It knows
 * Roster only through @roster/client, installed from the packed tarball.
 *
 *   ROSTER_URL=https://roster.example.com ROSTER_API_KEY=rst_… \
 *   ROSTER_WEBHOOK_SECRET=whsec_… PORT=8080 npm start
 *
 * It prints one JSON line per thing it did, so a script (or a test) can follow it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRosterClient, readWebhook, TRPCClientError, WebhookVerificationError, type RouterOutputs } from '@roster/client';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};
const say = (event: string, fields: object) => console.log(JSON.stringify({ event, ...fields }));

const roster = createRosterClient({ url: env('ROSTER_URL'), apiKey: env('ROSTER_API_KEY'), headers: { 'user-agent': 'roster-example-service/0' } });

// The types come from the router's declared outputs: `users.items[0].role` is a union of role names.
const users: RouterOutputs['admin']['users']['list'] = await roster.admin.users.list.query({ page: 1, pageSize: 50, orderBy: 'email', direction: 'asc' });
say('users', { total: users.total, users: users.items.map((u) => ({ email: u.email, role: u.role, status: u.status })) });

const first = users.items.find((u) => u.status === 'active');
if (first) {
  const { permissions } = await roster.permissions.check.query({ userId: first.id, keys: ['files.upload'] });
  say('permission', { email: first.email, key: 'files.upload', allowed: permissions['files.upload'] === true });
}

// A failed call carries Roster's stable error code in `data.appCode`.
try {
  await roster.admin.users.get.query({ id: '00000000-0000-4000-8000-000000000000' });
} catch (err) {
  if (!(err instanceof TRPCClientError)) throw err;
  say('error', { code: err.data?.code, appCode: err.data?.appCode });
}

const secret = env('ROSTER_WEBHOOK_SECRET');
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      // Verify over the raw body, before parsing it.
      const hook = readWebhook(secret, req.headers, Buffer.concat(chunks).toString('utf8'));
      say('webhook', { id: req.headers['webhook-id'], type: hook.type, email: hook.data.email ?? null });
      res.writeHead(204).end();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      say('rejected', { reason: err.message });
      res.writeHead(401).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  say('listening', { port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
