import { sessionIdOf, type SessionCookie } from '@roster/auth';
import { createCaller, createContext, createServices, type CookieJar, type Services } from '@roster/api';
import type { Clock } from '@roster/core';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { createTestDatabase } from './database.ts';

/** A browser-like cookie jar: keeps what the server sets, drops what it clears. */
export class TestJar implements CookieJar {
  readonly cookies = new Map<string, SessionCookie>();
  get(name: string) {
    return this.cookies.get(name)?.value;
  }
  set(cookie: SessionCookie) {
    if (!cookie.value || cookie.attributes.maxAge === 0) this.cookies.delete(cookie.name);
    else this.cookies.set(cookie.name, cookie);
  }
}

export interface TestApi {
  services: Services;
  databaseUrl: string;
  /** A caller acting as the holder of `jar` (anonymous when omitted); each call is its own request (`secure`: as if over https). */
  as(jar?: CookieJar, headers?: Record<string, string>, opts?: { secure?: boolean }): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

/** `redisUrl`: a file that runs workers or stops Redis uses its own redis-server, so queued jobs never cross test files. */
export async function createTestApi(
  opts: { clock?: Clock; redisUrl?: string; setupTokenRequired?: boolean; permissionsFile?: string } = {},
): Promise<TestApi> {
  const databaseUrl = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(inject('tmpRoot'), 'data-'));
  const services = await createServices({
    databaseUrl,
    redisUrl: opts.redisUrl ?? inject('redisUrl'),
    dataDir,
    clock: opts.clock,
    setupTokenRequired: opts.setupTokenRequired,
    permissionsFile: opts.permissionsFile,
  });
  return {
    services,
    databaseUrl,
    as(jar = new TestJar(), headers = {}, { secure = false } = {}) {
      return createCaller(() => createContext(services, { headers: new Headers(headers), ip: '127.0.0.1', secure, cookies: jar }));
    },
    close: () => services.close(),
  };
}

/** `sessions.id` of a session token: the database holds only this SHA-256, never the token. */
export const sessionRowId = (token: string | undefined) => sessionIdOf(token ?? '');

export const OWNER = { email: 'owner@example.com', name: 'Olga Owner', password: 'correct horse battery' };

/** Creates the owner and returns a jar signed in as them. */
export async function withOwner(api: TestApi): Promise<TestJar> {
  const jar = new TestJar();
  await api.as(jar).setup.createOwner(OWNER);
  return jar;
}
