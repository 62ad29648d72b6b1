import { applyAction, type SubmitFunction } from '$app/forms';
import { invalidateAll } from '$app/navigation';

type Data = Record<string, unknown>;

/**
 * One enhanced form's client state: busy while it runs, the server's message
 * and field errors, and what to do on success. Dialogs keep their result to
 * themselves instead of sharing the page's `form` prop, so two dialogs never
 * show each other's errors. Without JavaScript the same actions still answer
 * through the page's `form` prop.
 */
export class FormState<T extends Data = Data> {
  busy = $state(false);
  message = $state<string | null>(null);
  errors = $state<Record<string, string[] | undefined>>({});

  constructor(
    private onSuccess?: (data: T) => void | Promise<void>,
    private opts: { refresh?: boolean; onFailure?: (message: string) => void } = {},
  ) {}

  reset() {
    this.message = null;
    this.errors = {};
  }

  submit: SubmitFunction = () => {
    this.busy = true;
    this.reset();
    return async ({ result }) => {
      try {
        if (result.type === 'success') {
          // Fresh data first, so a closing dialog reveals the updated page.
          if (this.opts.refresh !== false) await invalidateAll();
          await this.onSuccess?.((result.data ?? {}) as T);
        } else if (result.type === 'failure') {
          const d = (result.data ?? {}) as { message?: string | null; fieldErrors?: Record<string, string[]> };
          this.errors = d.fieldErrors ?? {};
          this.message = d.message ?? (Object.keys(this.errors).length ? null : 'That did not work');
          this.opts.onFailure?.(this.message ?? Object.values(this.errors).flat().join(' '));
        } else if (result.type === 'redirect') {
          await applyAction(result);
        } else {
          this.message = result.error?.message ?? 'Something went wrong. Try again.';
          this.opts.onFailure?.(this.message);
        }
      } finally {
        this.busy = false;
      }
    };
  };
}
