/**
 * The one error path (docs/ARCHITECTURE.md, "Errors"). Code anywhere throws `AppError('NAME')`;
 * `registerErrorPath` makes every failure — ours, a failed validation, Fastify's own (bad JSON,
 * wrong content type, body too large, unknown route, wrong method, over-long or badly encoded
 * URL) — answer the error envelope with the catalogue's numeric code, HTTP status and localised
 * message. A 5xx only ever means a server fault, and no body carries a stack trace or a path.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, type ErrorName } from '../../../contracts/gen/error-codes';
import { allowedMethods, errorCodeAt } from './contract';

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

export function errorBody(request: FastifyRequest, name: ErrorName, details?: ErrorDetail[]) {
  return {
    success: false as const,
    code: ErrorCodes[name].code,
    message: messageFor(name, localeFrom(request.headers['accept-language'])),
    ...(details && details.length > 0 ? { details } : {}),
    requestId: request.id,
    timestamp: new Date().toISOString(),
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, name: ErrorName, details?: ErrorDetail[]) {
  return reply.code(ErrorCodes[name].http).type('application/json').send(errorBody(request, name, details));
}

/** Answers every failure of `app` in the envelope. `rendererDir`: unknown page URLs load the single page. */
export function registerErrorPath(app: FastifyInstance, rendererDir: string | undefined): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler(rendererDir));
}

/**
 * Fastify's `frameworkErrors` option: failures met before routing (an over-long path parameter,
 * a URL that is not valid percent-encoding), which would otherwise answer Fastify's own JSON.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendError(request, reply, 'URI_TOO_LONG', [{ message: 'a path parameter is longer than 100 characters' }]);
  }
  if (error.code === 'FST_ERR_BAD_URL') return sendError(request, reply, 'BAD_REQUEST', [{ message: 'the URL is not valid percent-encoding' }]);
  return errorHandler(error, request, reply);
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before there is a request
 * (a bad Content-Length or chunk size, a control character in the target, headers over 16 KiB, a
 * request that never finishes arriving). The envelope is written to the socket by hand, in
 * zh-CN (no header could be read), and the connection closed, as Node itself does.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const name: ErrorName =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST';
  const entry = ErrorCodes[name];
  const body = JSON.stringify({ success: false, code: entry.code, message: entry.zh, requestId: randomUUID(), timestamp: new Date().toISOString() });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${entry.http} ${entry.en}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  message?: string;
  params: Record<string, unknown>;
}

type ValidationError = FastifyError & { validation?: ValidationIssue[]; validationContext?: string };

/** A specific code (1100 symbol, 2002 period, 1200 date …) when the failing schema names one. */
function validationErrorName(request: FastifyRequest, error: ValidationError): ErrorName {
  const schemas = request.routeOptions.schema as Record<string, unknown> | undefined;
  const schema = schemas?.[error.validationContext ?? 'body'];
  for (const issue of error.validation ?? []) {
    // A missing field takes the code of the field's own schema (a missing symbol is a symbol error).
    const missing = issue.params.missingProperty;
    const path = typeof missing === 'string' ? issue.schemaPath.replace(/required$/, `properties/${missing}`) : issue.schemaPath;
    const name = errorCodeAt(schema, path);
    if (name && name in ErrorCodes) return name as ErrorName;
  }
  return 'VALIDATION_ERROR';
}

function issueMessage(issue: ValidationIssue): string {
  if (typeof issue.params.additionalProperty === 'string') return 'is not an allowed field';
  if (issue.keyword === 'x-finite') return 'must be a finite number';
  if (Array.isArray(issue.params.allowedValues)) return `must be one of ${issue.params.allowedValues.join(', ')}`;
  return issue.message ?? 'is invalid';
}

function validationDetails(error: ValidationError): ErrorDetail[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const pathParts = issue.instancePath.split('/').filter(Boolean);
    const extra = issue.params.missingProperty ?? issue.params.additionalProperty;
    if (typeof extra === 'string') pathParts.push(extra);
    return { field: [context, ...pathParts].join('.'), message: issueMessage(issue) };
  });
}

/** Fastify's client errors by code; any other 4xx it raises is mapped by its status below. */
const FASTIFY_CODES: Record<string, ErrorName> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
};

const BY_STATUS: Record<number, ErrorName> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  408: 'REQUEST_TIMEOUT',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  422: 'VALIDATION_ERROR',
};

/** What the client did wrong, or undefined when the failure is the server's. */
function clientErrorName(error: FastifyError): ErrorName | undefined {
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return mapped;
  if (error instanceof SyntaxError) return 'BAD_REQUEST';
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500 && !error.code?.startsWith('FST_ERR_RESPONSE')) return BY_STATUS[status] ?? 'BAD_REQUEST';
  return undefined;
}

function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.statusCode >= 500) request.log.error({ module: 'http', err: error.cause ?? error }, error.message);
    return sendError(request, reply, error.errorName, error.details);
  }
  const validation = (error as ValidationError).validation;
  if (validation) return sendError(request, reply, validationErrorName(request, error), validationDetails(error));
  const client = clientErrorName(error);
  if (client) return sendError(request, reply, client, [{ message: error.message }]);
  if (error.code?.startsWith('SQLITE_')) {
    request.log.error({ module: 'db', err: error }, 'database error');
    return sendError(request, reply, 'DATABASE_ERROR');
  }
  request.log.error({ module: 'http', err: error }, 'unhandled error');
  return sendError(request, reply, 'INTERNAL_ERROR');
}

function notFoundHandler(rendererDir: string | undefined) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && rendererDir;
    // Client-side routes (history mode) all load the single page.
    if (isPage && (request.headers.accept ?? '').includes('text/html')) return reply.sendFile('index.html');
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(request, reply, 'METHOD_NOT_ALLOWED', [{ message: `${request.method} ${path}: allowed ${allowed.join(', ')}` }]);
    }
    return sendError(request, reply, 'NOT_FOUND', [{ message: `${request.method} ${path}` }]);
  };
}
