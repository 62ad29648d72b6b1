/** Short-lived result messages ("User created"); they outlive client-side navigation, so a redirect keeps them. */
export type ToastTone = 'success' | 'error' | 'info';
export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}

let next = 1;
export const toasts: Toast[] = $state([]);

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

function push(tone: ToastTone, message: string, ms: number) {
  const id = next++;
  toasts.push({ id, tone, message });
  if (toasts.length > 4) toasts.shift();
  setTimeout(() => dismiss(id), ms);
}

export const toast = {
  success: (message: string) => push('success', message, 5_000),
  info: (message: string) => push('info', message, 5_000),
  // Errors stay longer: people need time to read what went wrong.
  error: (message: string) => push('error', message, 9_000),
};
