import { AppError } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { getSettings } from './instance-settings.ts';

/** The instance's minimum length applies on top of the schema's fixed floor. */
export async function assertPasswordPolicy(deps: Pick<CoreDeps, 'em'>, password: string, field = 'password'): Promise<void> {
  const { passwordMinLength } = await getSettings(deps);
  if (password.length < passwordMinLength) {
    const msg = `At least ${passwordMinLength} characters`;
    throw new AppError('VALIDATION', msg, { [field]: [msg] });
  }
}
