import { redirect, type RequestEvent } from '@sveltejs/kit';
import { postedKeys } from '../permissions.ts';
import { membershipExpiry } from '../membership-expiry.ts';
import { api } from './caller.ts';
import { actionFailure, fieldFailure, text } from './form.ts';

const GROUP_FIELDS = ['name', 'description', 'grants', 'denies'];

/** Name, description, grants and denies as the create and edit forms post them (grants/denies only where the form has them). */
async function groupFields(event: RequestEvent, form: FormData) {
  const description = text(form, 'description').trim();
  const base = { name: text(form, 'name').trim(), description: description || null };
  if (!form.has('permissions')) return base;
  const { items: keys } = await api(event).admin.permissions.catalogue();
  return { ...base, grants: postedKeys(form, 'grants', keys), denies: postedKeys(form, 'denies', keys) };
}

const userIdsOf = (form: FormData) => [...new Set(form.getAll('userIds').map(String).filter(Boolean))];

/** Per-id outcomes of a bulk call, said in one line: "2 added, 1 already a member, 1 not found". */
export function summarise(results: readonly { outcome: string }[], words: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${words[outcome] ?? outcome}`).join(', ');
}

/**
 * The admin's group form actions (/admin/groups and a group's page). Each
 * calls one procedure and answers a toast, or the form's failure with the
 * router's field errors next to their inputs.
 */
export const groupActions = {
  /** The dialog goes on to the new group's page; without JavaScript the list shows it with the result. */
  create: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const fields = await groupFields(event, form);
      const g = await api(event).admin.groups.create({ grants: [], denies: [], ...fields });
      return { toast: `${g.name} created; add its members`, created: { id: g.id } };
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.create', GROUP_FIELDS);
    }
  },
  update: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const g = await api(event).admin.groups.update({ id: text(form, 'id'), ...(await groupFields(event, form)) });
      return { toast: form.has('permissions') ? `Permissions of ${g.name} saved` : `${g.name} saved` };
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.update', GROUP_FIELDS);
    }
  },
  delete: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      await api(event).admin.groups.delete({ id: text(form, 'id') });
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.delete');
    }
    redirect(303, '/admin/groups?deleted=1');
  },
  addMembers: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const userIds = userIdsOf(form);
    if (!userIds.length) return fieldFailure('userIds', 'Choose at least one person to add');
    const expiresAt = membershipExpiry(text(form, 'expires'), text(form, 'expiresOn'));
    if (expiresAt === undefined) return fieldFailure('expiresOn', 'Give a date and time in the future, or choose another end');
    try {
      const { results } = await api(event).admin.groups.addMembers({ groupId: text(form, 'groupId'), userIds, expiresAt });
      return { toast: summarise(results, { added: 'added', updated: 'given a new end', unchanged: 'already a member', notFound: 'not found' }) };
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.addMembers', ['userIds', 'expiresAt']);
    }
  },
  removeMembers: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const { results } = await api(event).admin.groups.removeMembers({ groupId: text(form, 'groupId'), userIds: userIdsOf(form) });
      return { toast: summarise(results, { removed: 'removed', notMember: 'not a member', notFound: 'not found' }) };
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.removeMembers');
    }
  },
  /** One member made a manager or not: the router takes the whole list, so the rest is read first. */
  setManager: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const groupId = text(form, 'groupId');
    const userId = text(form, 'userId');
    const manager = text(form, 'manager') === 'true';
    const c = api(event);
    try {
      const group = await c.admin.groups.get({ id: groupId });
      const managers = new Set(group.members.filter((m) => m.manager).map((m) => m.userId));
      if (manager) managers.add(userId);
      else managers.delete(userId);
      await c.admin.groups.setManagers({ groupId, userIds: [...managers] });
      const who = group.members.find((m) => m.userId === userId)?.name ?? 'They';
      return { toast: manager ? `${who} now manages ${group.name}` : `${who} no longer manages ${group.name}` };
    } catch (err) {
      return actionFailure(err, event, 'admin.groups.setManagers');
    }
  },
};
