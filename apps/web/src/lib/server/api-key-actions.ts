import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { actionFailure, text } from './form.ts';

type KeyScope = Parameters<ReturnType<typeof api>['me']['apiKeys']['create']>[0]['scopes'][number];
const DAY_MS = 86_400_000;

/** The create form's fields as me.apiKeys.create takes them ('' expiry = never). */
function keyInput(f: FormData) {
  const days = Number(text(f, 'expires'));
  return {
    name: text(f, 'name'),
    scopes: f.getAll('scope').map(String) as KeyScope[],
    expiresAt: days > 0 ? new Date(Date.now() + days * DAY_MS).toISOString() : null,
  };
}

/** The profile's API key actions: create (the secret goes back once, in the action's answer) and revoke. */
export const ownApiKeyActions = {
  createKey: async (event: RequestEvent) => {
    try {
      const key = await api(event).me.apiKeys.create(keyInput(await event.request.formData()));
      return { toast: `API key ${key.name} created`, key: { name: key.name, secret: key.secret } };
    } catch (err) {
      return actionFailure(err, event, 'me.apiKeys.create', ['name', 'scopes', 'expiresAt']);
    }
  },
  revokeKey: async (event: RequestEvent) => {
    try {
      await api(event).me.apiKeys.revoke({ id: text(await event.request.formData(), 'id') });
      return { toast: 'API key revoked' };
    } catch (err) {
      return actionFailure(err, event, 'me.apiKeys.revoke');
    }
  },
};

/** An admin revokes a key of the user on the page. */
export const adminApiKeyActions = {
  revokeKey: async (event: RequestEvent) => {
    try {
      await api(event).admin.apiKeys.revoke({ id: text(await event.request.formData(), 'id') });
      return { toast: 'API key revoked' };
    } catch (err) {
      return actionFailure(err, event, 'admin.apiKeys.revoke');
    }
  },
};
