import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { actionFailure, checked, optionalNumber, text } from './form.ts';

type AssignableRole = 'admin' | 'user' | 'pending';
const role = (f: FormData) => text(f, 'role') as AssignableRole;

/** The inputs the create and edit dialogs show next to their fields. */
const FIELDS = ['email', 'name', 'role', 'password', 'quotaGiB', 'storageLabel', 'avatarUrl', 'mustChangePassword'];

/** Create and edit (issue 3): the dialog's fields mapped to the router's input, errors sent back per field. */
export const userFormActions = {
  create: async (event: RequestEvent) => {
    const f = await event.request.formData();
    const generate = text(f, 'passwordMode') === 'generate';
    try {
      const { user, generatedPassword } = await api(event).admin.users.create({
        email: text(f, 'email'),
        name: text(f, 'name'),
        role: role(f),
        password: generate ? undefined : text(f, 'password'),
        generatePassword: generate,
        mustChangePassword: checked(f, 'mustChangePassword'),
        quotaGiB: optionalNumber(f, 'quotaGiB'),
        storageLabel: text(f, 'storageLabel').trim() || null,
      });
      return { toast: `${user.name} was created`, user: { id: user.id, name: user.name, email: user.email }, generatedPassword };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.create', FIELDS);
    }
  },
  update: async (event: RequestEvent) => {
    const f = await event.request.formData();
    // The owner's role cannot change, so its select is disabled and absent from the form.
    const newRole = f.has('role') ? role(f) : undefined;
    try {
      const user = await api(event).admin.users.update({
        id: text(f, 'id'),
        name: text(f, 'name'),
        email: text(f, 'email'),
        role: newRole,
        avatarUrl: text(f, 'avatarUrl').trim() || null,
        quotaGiB: optionalNumber(f, 'quotaGiB'),
        storageLabel: text(f, 'storageLabel').trim() || null,
        // Unchanged values are no-ops in core, so the owner's own flags pass through untouched.
        mustChangePassword: checked(f, 'mustChangePassword'),
      });
      return { toast: `${user.name} was saved` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.update', FIELDS);
    }
  },
};
