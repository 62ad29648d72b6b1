import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { actionFailure, text } from '#lib/server/form.ts';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
type Status = (typeof STATUSES)[number];
const PAGE_SIZE = 25;

/** Invitations (issue 3): the filter and page live in the URL like the users list. */
export const load: PageServerLoad = async (event) => {
  const raw = event.url.searchParams.get('status');
  const status = (STATUSES as readonly string[]).includes(raw ?? '') ? (raw as Status) : undefined;
  const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '', 10) || 1);
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const list = await caller.admin.users.invitations({ status, page, pageSize: PAGE_SIZE }).catch(fail('admin.users.invitations'));
  const pending = await caller.admin.users.list({ roles: ['pending'], page: 1, pageSize: 1 }).catch(fail('admin.users.list'));
  const settings = await caller.admin.settings.get().catch(fail('admin.settings.get'));
  const { me } = await event.parent();
  return {
    status: status ?? '',
    page,
    pageSize: PAGE_SIZE,
    invitations: list.items,
    total: list.total,
    pendingCount: pending.total,
    pendingEstimated: pending.totalEstimated === true,
    canGrantAdmin: me.role === 'owner' || settings.adminsCanCreateAdmins,
  };
};

/** A link is `origin + path`, shown once: only its hash is stored. */
const linkFor = (event: { url: URL }, path: string) => event.url.origin + path;

export const actions: Actions = {
  invite: async (event) => {
    const f = await event.request.formData();
    try {
      const { invitation, path } = await api(event).admin.users.invite({
        email: text(f, 'email'),
        role: text(f, 'role') as 'admin' | 'user' | 'pending',
      });
      return { link: linkFor(event, path), email: invitation.email, toast: `Invitation for ${invitation.email} created` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.invite', ['email', 'role']);
    }
  },
  resend: async (event) => {
    const f = await event.request.formData();
    try {
      const { invitation, path } = await api(event).admin.users.resendInvitation({ id: text(f, 'id') });
      return { link: linkFor(event, path), email: invitation.email, toast: `New link for ${invitation.email}; the old one no longer works` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.resendInvitation');
    }
  },
  revoke: async (event) => {
    const f = await event.request.formData();
    try {
      const inv = await api(event).admin.users.revokeInvitation({ id: text(f, 'id') });
      return { toast: `Invitation for ${inv.email} revoked` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.revokeInvitation');
    }
  },
};
