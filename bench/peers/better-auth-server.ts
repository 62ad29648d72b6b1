/** better-auth on node:http (its toNodeHandler), all routes under /api/auth; run.ts starts it as a child process. */
import http from 'node:http';
import { toNodeHandler } from 'better-auth/node';
import { makeBetterAuth } from './better-auth-config.ts';

const port = Number(process.env.PORT);
const { auth } = makeBetterAuth(process.env.DATABASE_URL!, `http://127.0.0.1:${port}`);
const handler = toNodeHandler(auth);
http.createServer((req, res) => void handler(req, res)).listen(port, '127.0.0.1', () => console.log('ready'));
