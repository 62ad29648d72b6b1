import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getSettings, instanceSettingsPatchSchema, updateSettings, type InstanceSettings, type InstanceSettingsPatch } from './instance-settings.ts';

/**
 * An admin changes instance settings. Who may grant the admin role is the
 * owner's decision alone; otherwise an admin could switch
 * adminsCanCreateAdmins on and make admins after all.
 */
export async function changeSettings(deps: CoreDeps, actor: Actor, patch: InstanceSettingsPatch): Promise<InstanceSettings> {
  const valid = instanceSettingsPatchSchema.parse(patch);
  const changesAdminGrants =
    valid.adminsCanCreateAdmins !== undefined && valid.adminsCanCreateAdmins !== (await getSettings(deps)).adminsCanCreateAdmins;
  if (changesAdminGrants && actor.role !== 'owner')
    throw new AppError('FORBIDDEN', 'Only the owner decides whether admins may grant the admin role');
  recordAudit(deps.em, { actorId: actor.id, action: 'settings.update', details: valid });
  return updateSettings(deps, valid);
}
