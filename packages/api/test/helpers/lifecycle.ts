import { TRPCError } from '@trpc/server';
import { AppError } from '@roster/core';
import { expect } from 'vitest';
import { z } from 'zod';
import { TestJar, type TestApi } from '@roster/test/support/api';

export interface Rejection {
  code: string;
  /** The domain code (`cause.code`), or VALIDATION for zod input errors. */
  appCode: string | undefined;
  message: string;
  /** Field names the error points at (domain field errors or zod paths). */
  fields: string[];
}

/** Awaits a call that must fail with a TRPCError and returns what a client would act on. */
export async function rejection(p: Promise<unknown>): Promise<Rejection> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  const cause = e.cause;
  if (cause instanceof z.ZodError)
    return { code: e.code, appCode: 'VALIDATION', message: e.message, fields: cause.issues.map((i) => i.path.join('.')) };
  const app = cause instanceof AppError ? cause : undefined;
  return { code: e.code, appCode: app?.code, message: e.message, fields: Object.keys(app?.fields ?? {}) };
}

/** Plain SQL on the test database, outside any request. */
export function sql<T = Record<string, unknown>>(api: TestApi, query: string, params: unknown[] = []): Promise<T[]> {
  return api.services.orm.em.fork().execute<T[]>(query, params);
}

/** An admin-created account, signed in on a fresh jar. */
export async function userWithJar(
  api: TestApi,
  ownerJar: TestJar,
  input: { email: string; role?: 'admin' | 'user' | 'pending'; password?: string; mustChangePassword?: boolean },
): Promise<{ id: string; jar: TestJar; password: string }> {
  const password = input.password ?? 'initial-password-1';
  const { user } = await api.as(ownerJar).admin.users.create({
    email: input.email,
    name: input.email.split('@')[0]!,
    role: input.role ?? 'user',
    password,
    mustChangePassword: input.mustChangePassword ?? false,
  });
  const jar = new TestJar();
  await api.as(jar).auth.signIn({ email: input.email, password });
  return { id: user.id, jar, password };
}
