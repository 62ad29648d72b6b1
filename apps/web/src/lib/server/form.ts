import { fail, type RequestEvent } from '@sveltejs/kit';
import { callFailure } from './errors.ts';

/** Helpers for form actions: read fields, and turn a router error into what the form shows. */
export const text = (form: FormData, key: string) => String(form.get(key) ?? '');
export const checked = (form: FormData, key: string) => form.get(key) === 'on' || form.get(key) === 'true';

/** An optional number field: empty → null; anything unparsable → NaN, which the router's schema refuses with a field error. */
export function optionalNumber(form: FormData, key: string): number | null {
  const raw = text(form, key).trim();
  return raw === '' ? null : Number(raw);
}

/** Messages from a failed action: errors for the given inputs go next to them, the rest into the form's alert. */
export interface ActionFailureData {
  message: string | null;
  fieldErrors: Record<string, string[]>;
  values?: Record<string, string>;
}

export function actionFailure(
  err: unknown,
  event: Pick<RequestEvent, 'locals'>,
  path: string,
  fields: readonly string[] = [],
  values?: Record<string, string>,
) {
  const f = callFailure(err, event, path);
  const fieldErrors: Record<string, string[]> = {};
  let unmatched = false;
  for (const [key, list] of Object.entries(f.fieldErrors ?? {})) {
    if (fields.includes(key)) fieldErrors[key] = list;
    else unmatched = true;
  }
  // The summary would only repeat errors already shown next to their inputs.
  const message = Object.keys(fieldErrors).length && !unmatched ? null : f.message;
  return fail(400, { message, fieldErrors, values } satisfies ActionFailureData);
}

/** A failure for a check the page makes before calling the router (e.g. two passwords that differ). */
export const fieldFailure = (field: string, msg: string, values?: Record<string, string>) =>
  fail(400, { message: null, fieldErrors: { [field]: [msg] }, values } satisfies ActionFailureData);
