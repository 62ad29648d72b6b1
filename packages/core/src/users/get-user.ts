import type { CoreDeps } from '../deps.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { findUserOrFail } from './fields.ts';

export async function getUser(deps: CoreDeps, id: string): Promise<AdminUserDto> {
  return toAdminUser(await findUserOrFail(deps.em, id), deps.clock.now());
}
