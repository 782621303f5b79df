/**
 * The one error path. Code anywhere throws `AppError('NAME')`; the Fastify error handler in
 * app.ts turns it (and Fastify's own errors) into the error envelope with the catalogue's
 * numeric code, HTTP status and localised message. 5xx bodies never carry stack traces.
 */
import { ErrorCodes, type ErrorName } from '../../../contracts/gen/error-codes';

export type Locale = 'zh-CN' | 'en';

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly errorName: ErrorName;
  readonly details: ErrorDetail[] | undefined;

  constructor(errorName: ErrorName, details?: ErrorDetail[] | string, options?: { cause?: unknown }) {
    super(ErrorCodes[errorName].en, options);
    this.errorName = errorName;
    this.details = typeof details === 'string' ? [{ message: details }] : details;
  }

  get code(): number {
    return ErrorCodes[this.errorName].code;
  }

  get statusCode(): number {
    return ErrorCodes[this.errorName].http;
  }
}

export function messageFor(errorName: ErrorName, locale: Locale): string {
  const entry = ErrorCodes[errorName];
  return locale === 'en' ? entry.en : entry.zh;
}

/** zh-CN unless the client asks for English first. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'zh-CN';
}
