/**
 * The floor for a session check: node:http and pg, one prepared statement
 * joining better-auth's session and user tables on the cookie's token, the
 * user as JSON. No framework, no signature check on the cookie, no writes:
 * what an authenticated request cannot cost less than on this machine.
 */
import http from 'node:http';
import pg from 'pg';

const port = Number(process.env.PORT);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 15_000 });
const lookup = {
  name: 'floor_session',
  text: `select u.id, u.email, u.name, u.role from session s join "user" u on u.id = s."userId" where s.token = $1 and s."expiresAt" > now()`,
};
const COOKIE = /(?:^|;\s*)better-auth\.session_token=([^.;]+)/;

http
  .createServer(async (req, res) => {
    const token = COOKIE.exec(req.headers.cookie ?? '')?.[1];
    try {
      const { rows } = token ? await pool.query({ ...lookup, values: [decodeURIComponent(token)] }) : { rows: [] };
      res.writeHead(rows.length ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(rows[0] ?? { error: 'UNAUTHORIZED' }));
    } catch {
      res.writeHead(500).end();
    }
  })
  .listen(port, '127.0.0.1', () => console.log('ready'));
