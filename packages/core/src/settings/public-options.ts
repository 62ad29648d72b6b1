import type { CoreDeps } from '../deps.ts';
import { getSettings } from './instance-settings.ts';

/** The settings anonymous pages need: whether to offer sign-up, and the password rule to state up front. */
export interface PublicOptions {
  signupEnabled: boolean;
  passwordMinLength: number;
}

export async function publicOptions(deps: Pick<CoreDeps, 'em'>): Promise<PublicOptions> {
  const { signupEnabled, passwordMinLength } = await getSettings(deps);
  return { signupEnabled, passwordMinLength };
}
