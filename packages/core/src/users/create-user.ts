import { generatePassword, hashPassword } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { assertEmailFree, assertStorageLabelFree, gibToBytes, mapUniqueViolation, normaliseStorageLabel } from './fields.ts';
import { assertMayGrantRole } from './rules.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: 'admin' | 'user' | 'pending';
  password?: string;
  generatePassword?: boolean;
  mustChangePassword?: boolean;
  quotaGiB?: number | null;
  storageLabel?: string | null;
}

/** An admin creates an account; a generated password is returned once and never stored in clear. */
export async function createUser(
  deps: CoreDeps,
  actor: Actor,
  input: CreateUserInput,
): Promise<{ user: AdminUserDto; generatedPassword?: string }> {
  const settings = await getSettings(deps);
  assertMayGrantRole(actor, null, input.role, settings);
  if (!input.password && !input.generatePassword)
    throw new AppError('VALIDATION', 'Give a password or ask for a generated one', { password: ['Required unless generatePassword is set'] });
  const generated = input.generatePassword && !input.password ? generatePassword() : undefined;
  const password = input.password ?? generated!;
  if (!generated) await assertPasswordPolicy(deps, password);
  const storageLabel = normaliseStorageLabel(input.storageLabel);
  await assertEmailFree(deps.em, input.email);
  await assertStorageLabelFree(deps.em, storageLabel);
  const passwordHash = await hashPassword(password);
  try {
    const user = await deps.em.transactional(async (em) => {
      const u = em.create(User, {
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        status: 'active',
        passwordHash,
        mustChangePassword: input.mustChangePassword ?? settings.requirePasswordChangeOnCreate,
        quotaBytes: gibToBytes(input.quotaGiB),
        storageLabel,
      });
      recordAudit(em, { actorId: actor.id, action: 'user.create', targetId: u.id, details: { role: input.role } });
      return u;
    });
    return { user: toAdminUser(user, deps.clock.now()), ...(generated ? { generatedPassword: generated } : {}) };
  } catch (err) {
    if (isUniqueViolation(err)) mapUniqueViolation(err);
    throw err;
  }
}
