import type { components } from '@contracts/gen/api';
import { ErrorCodes } from '@contracts/gen/error-codes';

export type ErrorBody = components['schemas']['ErrorBody'];
export type ErrorDetail = components['schemas']['ErrorDetail'];

/** A failed API call: the server's error envelope, or status 0 when the server was unreachable. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly details: ErrorDetail[];
  /** HTTP status; 0 for a network failure. */
  readonly status: number;
  readonly requestId: string | undefined;

  constructor(init: { code: number; message: string; details?: ErrorDetail[]; status: number; requestId?: string }) {
    super(init.message);
    this.code = init.code;
    this.details = init.details ?? [];
    this.status = init.status;
    this.requestId = init.requestId;
  }

  get isUnauthorized(): boolean {
    return this.code === ErrorCodes.UNAUTHORIZED.code;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.success === false && typeof v.code === 'number' && typeof v.message === 'string';
}
