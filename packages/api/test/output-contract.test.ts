/**
 * The router is the contract other services compile against: every procedure
 * declares `.output()`, so its answer type is the declared one and tRPC checks
 * each response against it (the integration tests then check every answer
 * they get). The list comes from `appRouter._def.procedures`, so a new
 * procedure without an output schema fails here by name.
 */
import { appRouter } from '@roster/api';
import { adminUserSchema } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

type ProcedureDef = { _def: { type: string; output?: unknown } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;

describe('the router as a declared contract', () => {
  it('has the procedures this test walks', () => {
    expect(Object.keys(procedures).length).toBeGreaterThan(90);
  });

  it.each(Object.keys(procedures))('%s declares a zod output schema', (path) => {
    expect(procedures[path]!._def.output, `${path} has no .output()`).toBeInstanceOf(z.ZodType);
  });

  it('drops what a DTO does not name: a password hash added by mistake never leaves', () => {
    const user = {
      id: '0b0e7a4c-1111-4b7a-9a6a-1c2d3e4f5a6b', email: 'a@example.com', name: 'A', role: 'user', status: 'active',
      avatarUrl: null, storageLabel: null, quotaBytes: null, usageBytes: 0, mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastActiveAt: null, isActive: false,
      deletedAt: null, purgeAt: null, purgeStartedAt: null, suspendedReason: null, suspendedUntil: null,
    };
    const out = (procedures['auth.me']!._def.output as z.ZodType).parse({ ...user, passwordHash: '$argon2id$secret' });
    expect(out).toEqual(user);
    expect(out).not.toHaveProperty('passwordHash');
  });

  it('declares timestamps as the ISO text that leaves the server (no transformer), refusing a Date', () => {
    expect(adminUserSchema.shape.createdAt.safeParse(new Date()).success).toBe(false);
    expect(adminUserSchema.shape.createdAt.safeParse(new Date().toISOString()).success).toBe(true);
  });

  it('keeps auth.me (the session-check hot path) a plain object of plain fields: no transforms or refinements', () => {
    const schema = procedures['auth.me']!._def.output;
    expect(schema).toBe(adminUserSchema);
    for (const [key, field] of Object.entries(adminUserSchema.shape)) {
      const def = (field as z.ZodType)._zod.def as { type: string; innerType?: { _zod: { def: { type: string } } } };
      const type = def.type === 'nullable' ? def.innerType!._zod.def.type : def.type;
      expect(['string', 'number', 'boolean', 'enum'], key).toContain(type);
    }
  });
});
