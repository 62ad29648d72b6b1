import { TRPCClientError } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { NotRosterResponse } from '../client.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure to report as `error CODE: message`, never with a stack. */
export class CliError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: number;
  readonly fieldErrors?: Record<string, string[]>;
  constructor(code: string, message: string, hint?: string, opts: { exitCode?: number; fieldErrors?: Record<string, string[]> } = {}) {
    super(message);
    this.code = code;
    this.hint = hint;
    this.exitCode = opts.exitCode ?? EXIT.failure;
    this.fieldErrors = opts.fieldErrors;
  }
}

/** Thrown by commands that must confirm on a terminal but have neither one nor --yes (exit 2). */
export const confirmationRequired = (what: string) =>
  new CliError('CONFIRMATION_REQUIRED', `${what} needs confirmation, and there is no terminal to ask on`, 'pass --yes to go ahead without a question', {
    exitCode: EXIT.usage,
  });

/** The command line itself is wrong (exit 2); found before any request is sent. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint, { exitCode: EXIT.usage });
  }
}

/** What the hints may mention about where the request went. */
export interface ErrorScene {
  url?: string;
  email?: string;
  /** A credential was sent, so UNAUTHENTICATED means it expired or was revoked. */
  sentToken: boolean;
  /** Set when it came from the environment, where `roster login` cannot replace it. */
  tokenEnv?: string;
}

const loginCommand = (s: ErrorScene) => `\`roster login --url ${s.url ?? 'URL'} --email ${s.email ?? 'EMAIL'}\``;

/** The one table from server error codes to hints; exit status is 1 for all of them. */
const HINTS: Record<string, (s: ErrorScene) => string | undefined> = {
  UNAUTHENTICATED: (s) => {
    if (s.tokenEnv) return `the server refused the credential in ${s.tokenEnv}; replace or unset it`;
    return s.sentToken ? `your session expired or was revoked; sign in again with ${loginCommand(s)}` : `run ${loginCommand(s)}`;
  },
  INVALID_CREDENTIALS: () => 'check the email and password; an admin can send you a password reset link',
  FORBIDDEN: () => 'your role does not allow this; ask an admin or the owner',
  PENDING_APPROVAL: () => 'an admin has to approve your account first',
  PASSWORD_CHANGE_REQUIRED: (s) => `set a new password with \`roster me password\` (or in the web app${s.url ? ` at ${s.url}` : ''}), then try again`,
  ACCOUNT_SUSPENDED: () => 'ask an admin to lift the suspension',
  SETUP_DONE: () => 'this server already has an owner; sign in instead',
  UNREACHABLE: (s) => `is Roster running${s.url ? ` at ${s.url}` : ''}? Check --url, ROSTER_URL or \`roster profiles list\``,
  BAD_RESPONSE: () => 'check that the URL is the address of the Roster web app',
  TIMEOUT: () => 'the server is slow or unreachable; try again later',
  VALIDATION: () => 'check the values and try again; `--help` shows what each flag takes',
  ACCOUNT_DELETED: () => 'an admin can restore the account until it is purged',
  EMAIL_TAKEN: () => 'another account (or an open invitation) uses that address; `roster users get EMAIL` shows the account',
  STORAGE_LABEL_TAKEN: () => 'pick another --storage-label; labels are unique, lower-case a-z 0-9 . _ -',
  OWNER_PROTECTED: () => 'only the owner may change the owner account, and nobody deletes or suspends it; see `roster users transfer-ownership`',
  ADMIN_PROTECTED: () =>
    "only the owner may reset, sign out, suspend, delete or change the role or email of another admin (unless the owner runs `roster settings set adminsCanCreateAdmins=true`)",
  USER_IS_TRANSFER_TARGET: () =>
    'another deleted user’s data goes to this user; restore that user (`roster users restore ID`) and delete it again with another --transfer-to or none first',
  SELF_ACTION: () => 'ask another admin to do this to your account, or use `roster me …` for your own settings',
  USER_NOT_FOUND: () => 'check the id or email with `roster users list --query TEXT --wide`',
  NOT_FOUND: () => 'check the id; `--json` output of the list commands shows ids',
  WRONG_PASSWORD: () => 'enter your own current password',
  QUOTA_EXCEEDED: () => 'free space with `roster files rm ID…`, or ask an admin to raise the quota (`roster users update ID --quota GiB`)',
  PURGE_IN_PROGRESS: () => 'the purge has begun and cannot be undone; it finishes on its own',
  USER_ALREADY_DELETED: () => 'it is already scheduled; `roster users deletion-preview ID` shows when, `roster users purge-now ID` makes it now',
  USER_NOT_DELETED: () => 'only a deleted user can be restored or purged; delete it first with `roster users delete ID`',
  TRANSFER_TARGET_INVALID: () => 'the --transfer-to user must be another active, approved account (not pending, suspended or deleted)',
  INVITATION_CLOSED: () => 'it was accepted or revoked, or its sender may no longer grant that role; send a new one with `roster users invite EMAIL`',
  PAYLOAD_TOO_LARGE: () => 'send less at once',
  RATE_LIMITED: () => 'too many failed attempts on this account or from this address; wait, or ask an admin to run `roster security release EMAIL`',
  BATCH_TOO_LARGE: () => 'send fewer calls per request (at most 10, and one sign-in or password call)',
  PERMISSION_DENIED: () => 'your effective permissions do not include this; `roster permissions mine` shows them, and an admin can grant it through a group or the default template',
  UNKNOWN_PERMISSION: () => '`roster permissions catalogue` lists the permission keys this server knows',
  GROUP_NAME_TAKEN: () => 'group names are unique regardless of case; `roster groups list` shows them',
  GROUP_NOT_FOUND: () => 'check the name or id with `roster groups list`',
  WEBHOOK_NOT_FOUND: () => 'check the id with `roster webhooks list`',
  WEBHOOK_URL_REFUSED: () => 'for a receiver on your own network, add --allow-private-network',
};

export function hintFor(code: string, scene: ErrorScene): string | undefined {
  return HINTS[code]?.(scene);
}

/** Turns anything thrown by a command into a CliError: server codes, network failures, bugs. */
export function toCliError(err: unknown, scene: ErrorScene): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof TRPCClientError) {
    const data = err.data as { appCode?: string; code?: string; fieldErrors?: Record<string, string[]> } | undefined;
    const code = data?.appCode ?? data?.code;
    if (code) return new CliError(code, err.message, hintFor(code, scene), { fieldErrors: data?.fieldErrors });
    return transportError(err, scene);
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new CliError('TIMEOUT', `no answer from ${scene.url ?? 'the server'}`, hintFor('TIMEOUT', scene));
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CliError('INTERNAL', message, 'this is a bug in roster; run again with ROSTER_DEBUG=1 to see details');
}

/** No tRPC error body: the request never reached Roster, or something else answered. */
function transportError(err: TRPCClientError<AnyTRPCRouter>, scene: ErrorScene): CliError {
  const cause = err.cause as (Error & { cause?: { code?: string; message?: string } }) | undefined;
  if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') {
    return new CliError('TIMEOUT', `no answer from ${scene.url ?? 'the server'}`, hintFor('TIMEOUT', scene));
  }
  if (cause instanceof NotRosterResponse) {
    return new CliError('BAD_RESPONSE', `${scene.url ?? 'the server'} answered HTTP ${cause.status}, not a Roster API response`, hintFor('BAD_RESPONSE', scene));
  }
  const why = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? err.message;
  return new CliError('UNREACHABLE', `cannot reach ${scene.url ?? 'the server'} (${why})`, hintFor('UNREACHABLE', scene));
}
