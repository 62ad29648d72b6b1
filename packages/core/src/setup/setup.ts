import { hashPassword } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { assertSetupToken, clearSetupTokens } from './setup-token.ts';

/** `tokenRequired`: first run asks for the setup token the server printed (it listens beyond loopback). */
export async function setupStatus(deps: Pick<CoreDeps, 'em' | 'setupTokenRequired'>): Promise<{ hasOwner: boolean; tokenRequired: boolean }> {
  const owners = await deps.em.count(User, { role: 'owner' });
  return { hasOwner: owners > 0, tokenRequired: owners === 0 && !!deps.setupTokenRequired };
}

/** Arbitrary fixed key: concurrent first-run requests queue on it. */
const SETUP_LOCK = 7_420_001;

/**
 * Creates the first user, the owner, only while the instance has no users.
 * An advisory lock serialises concurrent attempts; the single-owner unique
 * index is the last line of defence. On a server reachable beyond loopback
 * the caller must show the setup token the web process printed; once an
 * owner exists the answer is SETUP_DONE whatever the token.
 */
export async function createOwner(
  deps: CoreDeps,
  input: { email: string; name: string; password: string; token?: string },
): Promise<AdminUserDto> {
  // Checked before the password hash, so a stranger's guesses cost no Argon2 time.
  if ((await deps.em.count(User, {})) > 0) throw new AppError('SETUP_DONE');
  if (deps.setupTokenRequired) await assertSetupToken(deps.em, input.token);
  await assertPasswordPolicy(deps, input.password);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await deps.em.transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [SETUP_LOCK]);
      if ((await em.count(User, {})) > 0) throw new AppError('SETUP_DONE');
      if (deps.setupTokenRequired) await assertSetupToken(em, input.token);
      await clearSetupTokens(em);
      const owner = em.create(User, {
        email: input.email,
        name: input.name,
        role: 'owner',
        status: 'active',
        passwordHash,
        mustChangePassword: false,
      });
      await em.flush();
      recordAudit(em, { actorId: owner.id, action: 'setup.createOwner', targetId: owner.id, details: { email: owner.email, name: owner.name } });
      return owner;
    });
    return toAdminUser(user, deps.clock.now());
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SETUP_DONE');
    throw err;
  }
}
