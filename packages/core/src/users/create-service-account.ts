import { randomBytes } from 'node:crypto';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { isUniqueViolation } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { assertEmailFree, mapUniqueViolation } from './fields.ts';

/**
 * A service account: role `service`, no password (sign-in refuses it), no
 * quota use; it exists to own API keys (admin.apiKeys.create). Without an
 * email it gets an address under `.invalid`, which can never receive mail.
 */
export async function createServiceAccount(deps: CoreDeps, actor: Actor, input: { name: string; email?: string }): Promise<AdminUserDto> {
  const email = (input.email ?? `service-${randomBytes(6).toString('hex')}@service.invalid`).toLowerCase();
  await assertEmailFree(deps.em, email);
  try {
    const user = await deps.em.transactional(async (em) => {
      const u = em.create(User, { email, name: input.name, role: 'service', status: 'active', passwordHash: null, mustChangePassword: false });
      recordAudit(em, { actorId: actor.id, action: 'user.create', targetId: u.id, details: { role: 'service' } });
      return u;
    });
    return toAdminUser(user, deps.clock.now());
  } catch (err) {
    if (isUniqueViolation(err)) mapUniqueViolation(err);
    throw err;
  }
}
