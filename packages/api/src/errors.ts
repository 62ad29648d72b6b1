import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type ErrorCode } from '@roster/core';

/** The one table from domain codes to tRPC codes (and so HTTP statuses). */
export const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  ACCOUNT_SUSPENDED: 'FORBIDDEN',
  ACCOUNT_DELETED: 'FORBIDDEN',
  PENDING_APPROVAL: 'FORBIDDEN',
  PASSWORD_CHANGE_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  OWNER_PROTECTED: 'FORBIDDEN',
  SELF_ACTION: 'FORBIDDEN',
  SETUP_DONE: 'FORBIDDEN',
  SIGNUP_DISABLED: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'NOT_FOUND',
  EMAIL_TAKEN: 'CONFLICT',
  STORAGE_LABEL_TAKEN: 'CONFLICT',
  WRONG_PASSWORD: 'BAD_REQUEST',
  TOKEN_INVALID: 'BAD_REQUEST',
  QUOTA_EXCEEDED: 'PAYLOAD_TOO_LARGE',
  PURGE_IN_PROGRESS: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TRANSFER_TARGET_INVALID: 'BAD_REQUEST',
};

export function toTRPCError(err: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
}

/** Codes for failures the router raises itself (no domain error behind them). */
export const TRPC_FALLBACK_APP_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'VALIDATION',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};
