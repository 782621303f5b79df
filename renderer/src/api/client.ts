/**
 * The one typed API client. Same origin (the server serves the renderer), so the session cookie
 * flows with `credentials: 'same-origin'`. One middleware does everything cross-cutting:
 * Bearer token, Accept-Language, error envelope → ApiError + message, network failure message.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import type { paths } from '@contracts/gen/api';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { currentLocale, i18n } from '@/plugins/i18n';
import { getApiToken, sessionLost } from './auth';
import { ApiError, isErrorBody } from './errors';

/** How many field-level `details` the error message lists before it gets too long to read. */
const DETAILS_SHOWN = 3;

/** The server's message, followed by the first few field problems (`body.theme: must be ...`). */
export function describeApiError(error: ApiError): string {
  const details = error.details
    .slice(0, DETAILS_SHOWN)
    .map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));
  return details.length > 0 ? `${error.message} (${details.join('; ')})` : error.message;
}

/**
 * Requests whose failures the caller shows in place (an empty state, a field message) rather than
 * as a toast: the error codes to keep quiet, per request. See `quietly`.
 */
const quietRequests = new WeakMap<Request, readonly number[]>();

/**
 * A per-call middleware: the call still throws its ApiError, but errors with one of `codes` are
 * not reported as a message (the page says it better, e.g. "no data yet" during the first import).
 *   api.GET('/api/market/kline', { params, middleware: [quietly([ErrorCodes.KLINE_DATA_NOT_FOUND.code])] })
 */
export function quietly(codes: readonly number[]): Middleware {
  return {
    onRequest({ request }) {
      quietRequests.set(request, codes);
      return undefined;
    },
  };
}

function report(error: ApiError, request?: Request): void {
  if (request && quietRequests.get(request)?.includes(error.code)) return;
  // A 401 means neither token nor cookie is valid: the shell shows a full page explaining how to
  // get back in, which says more than a toast would.
  if (error.isUnauthorized) {
    sessionLost.value = true;
    return;
  }
  // `grouping` folds repeats (e.g. a poll failing every 5 s) into one message with a counter.
  ElMessage({ type: 'error', message: describeApiError(error), grouping: true, showClose: true, duration: 5000 });
}

export const apiMiddleware: Middleware = {
  onRequest({ request }) {
    const token = getApiToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept-Language', currentLocale());
    return undefined;
  },

  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const error = isErrorBody(body)
      ? new ApiError({ ...body, status: response.status })
      : new ApiError({
          code: response.status >= 500 ? ErrorCodes.INTERNAL_ERROR.code : ErrorCodes.BAD_REQUEST.code,
          message: i18n.global.t('api.httpError', { status: response.status }),
          status: response.status,
        });
    report(error, request);
    throw error;
  },

  onError({ error }) {
    // An aborted request is the caller's own decision, not a failure to tell the user about.
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    const networkError = new ApiError({
      code: ErrorCodes.SERVICE_UNAVAILABLE.code,
      message: i18n.global.t('api.unreachable'),
      status: 0,
    });
    report(networkError);
    return networkError;
  },
};

export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  // Resolved per call (not captured once) so tests can stub the global fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(apiMiddleware);

/**
 * Unwraps the success envelope. Errors never get here: the middleware has already thrown.
 * The generated types mark `data` optional (it sits in an allOf), hence the explicit check.
 */
export async function unwrap<T>(call: Promise<{ data?: { data?: T }; response: Response }>): Promise<T> {
  const { data, response } = await call;
  if (data?.data === undefined) {
    throw new ApiError({
      code: ErrorCodes.INTERNAL_ERROR.code,
      message: i18n.global.t('api.emptyResponse'),
      status: response.status,
    });
  }
  return data.data;
}
