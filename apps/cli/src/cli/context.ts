import { createApi, createUntypedApi, type Api, type ClientOptions, type UntypedApi } from '../client.ts';
import type { Connection } from '../config/resolve.ts';
import { CliError, type ErrorScene } from './errors.ts';
import { colorEnabled, makeStyle, type Style } from './output.ts';

/** What every command gets: output settings, the resolved connection and clients for it. */
export interface RunContext {
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Styles for stdout and stderr, each honouring NO_COLOR and its own TTY-ness. */
  style: Style;
  errStyle: Style;
  conn: Connection;
  /** Typed client for the connection; fails with NOT_CONFIGURED when no server is known. */
  api(extra?: Partial<ClientOptions>): Api;
  untypedApi(): UntypedApi;
  /** Informational line on stderr (keeps stdout for data). */
  note(message: string): void;
  /** Filled in as requests go out, so error hints can name the server and the account. */
  scene: ErrorScene;
}

export function createRunContext(conn: Connection, json: boolean, env: NodeJS.ProcessEnv): RunContext {
  const scene: ErrorScene = { url: conn.url, email: conn.profile.email, sentToken: false };
  const errStyle = makeStyle(colorEnabled(process.stderr, env));
  const options = (extra: Partial<ClientOptions> = {}): ClientOptions => {
    const url = extra.url ?? conn.url;
    if (!url) {
      throw new CliError(
        'NOT_CONFIGURED',
        `no server for profile "${conn.profileName}"`,
        'pass --url URL, set ROSTER_URL, or sign in with `roster login --url URL --email EMAIL`',
      );
    }
    const fromConn = !('token' in extra);
    const token = fromConn ? conn.token : extra.token;
    scene.url = url;
    scene.sentToken = !!token;
    scene.tokenEnv = fromConn && conn.tokenSource !== 'profile' ? conn.tokenSource : undefined;
    return { url, token, onResponse: extra.onResponse };
  };
  return {
    json,
    env,
    style: makeStyle(colorEnabled(process.stdout, env)),
    errStyle,
    conn,
    scene,
    api: (extra) => createApi(options(extra)),
    untypedApi: () => createUntypedApi(options()),
    note: (message) => process.stderr.write(`${message}\n`),
  };
}
