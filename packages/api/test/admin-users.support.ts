/** Helpers shared by the admin-users*.int.test.ts files. */
import { TRPCError } from '@trpc/server';
import { AppError } from '@roster/core';
import { expect } from 'vitest';
import { z } from 'zod';
import { TestJar, type TestApi } from '@roster/test/support/api';

export interface Rejection {
  code: string;
  appCode: string | undefined;
  message: string;
  /** Field errors: from the domain error, or the paths zod complained about. */
  fields: Record<string, string[]> | undefined;
}

/** Awaits a call that must fail and returns what the client would learn from it. */
export async function rejection(p: Promise<unknown>): Promise<Rejection> {
  const err = await p.then(
    (v) => expect.fail(`expected a rejection, got ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  if (e.cause instanceof AppError) return { code: e.code, appCode: e.cause.code, message: e.message, fields: e.cause.fields };
  if (e.cause instanceof z.ZodError) {
    const fields: Record<string, string[]> = {};
    for (const issue of e.cause.issues) (fields[issue.path.join('.') || '_'] ??= []).push(issue.message);
    return { code: e.code, appCode: 'VALIDATION', message: e.message, fields };
  }
  return { code: e.code, appCode: undefined, message: e.message, fields: undefined };
}

export const db = (api: TestApi) => api.services.orm.em.fork();

export async function signIn(api: TestApi, email: string, password: string): Promise<TestJar> {
  const jar = new TestJar();
  await api.as(jar).auth.signIn({ email, password });
  return jar;
}

/** A signed-in account made through admin.users.create by `creator`. */
export async function makeUser(
  api: TestApi,
  creator: TestJar,
  opts: { email: string; name?: string; role?: 'admin' | 'user' | 'pending'; password?: string; mustChangePassword?: boolean },
): Promise<{ id: string; email: string; password: string; jar: TestJar }> {
  const password = opts.password ?? 'a long enough password';
  const { user } = await api.as(creator).admin.users.create({
    email: opts.email,
    name: opts.name ?? opts.email.split('@')[0]!,
    role: opts.role ?? 'user',
    password,
    mustChangePassword: opts.mustChangePassword ?? false,
  });
  return { id: user.id, email: user.email, password, jar: await signIn(api, user.email, password) };
}

export async function auditRows(api: TestApi, action: string, targetId?: string) {
  return db(api).execute<{ actor_id: string | null; action: string; target_id: string | null; details: Record<string, unknown> }[]>(
    `select actor_id, action, target_id, details from audit_log where action = ? ${targetId ? 'and target_id = ?' : ''} order by id`,
    targetId ? [action, targetId] : [action],
  );
}

export async function sessionCount(api: TestApi, userId: string): Promise<number> {
  const [row] = await db(api).execute<{ n: number }[]>(`select count(*)::int as n from sessions where user_id = ?`, [userId]);
  return row!.n;
}

/** True when the jar's session still lets its holder in. */
export async function stillSignedIn(api: TestApi, jar: TestJar): Promise<boolean> {
  return api
    .as(jar)
    .auth.me()
    .then(
      () => true,
      () => false,
    );
}
