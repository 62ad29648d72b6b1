/**
 * The one catalogue of domain error codes. Transports map each code to their
 * own status (api/src/errors.ts for tRPC, the CLI to exit codes); messages
 * here are safe to show to the person who made the request.
 */
export const ERROR_CODES = {
  VALIDATION: 'The input is not valid',
  UNAUTHENTICATED: 'Sign in first',
  INVALID_CREDENTIALS: 'Email or password is incorrect',
  ACCOUNT_SUSPENDED: 'This account is suspended',
  ACCOUNT_DELETED: 'This account has been deleted',
  PENDING_APPROVAL: 'Your account is waiting for an administrator to approve it',
  PASSWORD_CHANGE_REQUIRED: 'Change your password before continuing',
  FORBIDDEN: 'You are not allowed to do that',
  OWNER_PROTECTED: 'The owner account is protected',
  SELF_ACTION: 'You cannot do that to your own account',
  SETUP_DONE: 'This instance already has an owner',
  SIGNUP_DISABLED: 'Sign-up is disabled on this instance',
  NOT_FOUND: 'Not found',
  USER_NOT_FOUND: 'User not found',
  EMAIL_TAKEN: 'That email address is already in use',
  STORAGE_LABEL_TAKEN: 'That storage label is already in use',
  WRONG_PASSWORD: 'The current password is incorrect',
  TOKEN_INVALID: 'This link is invalid or has expired',
  QUOTA_EXCEEDED: 'This would exceed the storage quota',
  PURGE_IN_PROGRESS: 'The purge of this user has already started',
  PAYLOAD_TOO_LARGE: 'The payload is too large',
  TRANSFER_TARGET_INVALID: 'The transfer target must be another active, approved user',
  USER_ALREADY_DELETED: 'This user is already deleted',
  USER_NOT_DELETED: 'This user is not deleted',
  INVITATION_CLOSED: 'This invitation was already accepted or revoked',
  RATE_LIMITED: 'Too many attempts; try again later',
  ADMIN_PROTECTED: 'Only the owner can do that to an administrator',
  SETUP_TOKEN_INVALID: 'The setup token is missing or wrong; use the link the server printed',
  USER_IS_TRANSFER_TARGET: "This user receives another deleted user's data; retarget that deletion first",
  BATCH_TOO_LARGE: 'Too many calls in one request',
  GROUP_NOT_FOUND: 'Group not found',
  GROUP_NAME_TAKEN: 'A group with this name already exists',
  PERMISSION_DENIED: 'You do not have the permission to do that',
  UNKNOWN_PERMISSION: 'Unknown permission key',
  SCOPE_NOT_HELD: 'An API key can only hold scopes its user holds',
  API_KEY_FORBIDDEN: 'This API key does not allow that',
  NOT_PENDING: 'This user is not waiting for approval',
  NOT_SUSPENDED: 'This user is not suspended',
  SELECTION_TOO_LARGE: 'Too many users in one selection',
  WEBHOOK_NOT_FOUND: 'Webhook endpoint not found',
  WEBHOOK_URL_REFUSED: 'Webhooks cannot be sent to private or loopback addresses',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string[]>;
  constructor(code: ErrorCode, message?: string, fields?: Record<string, string[]>) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }
}

/** RATE_LIMITED with the wait, so transports can send `Retry-After` and forms can say how long. */
export class RateLimitedError extends AppError {
  readonly retryAfterSec: number;
  constructor(retryAfterMs: number) {
    const sec = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('RATE_LIMITED', `Too many attempts; try again in ${waitText(sec)}`);
    this.retryAfterSec = sec;
  }
}

function waitText(sec: number): string {
  if (sec < 60) return `${sec} second${sec === 1 ? '' : 's'}`;
  const min = Math.ceil(sec / 60);
  if (min < 120) return `${min} minute${min === 1 ? '' : 's'}`;
  return `${Math.ceil(min / 60)} hours`;
}

export const fail = (code: ErrorCode, message?: string): never => {
  throw new AppError(code, message);
};

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: unknown; name?: string };
  if (e?.name === 'UniqueConstraintViolationException' || e?.code === '23505') {
    if (!constraint) return true;
    const text = `${e.constraint ?? ''} ${String((err as Error).message ?? '')}`;
    return text.includes(constraint);
  }
  return false;
}
