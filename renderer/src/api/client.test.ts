import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ElMessage } from 'element-plus';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { setLocale } from '@/plugins/i18n';
import { errorEnvelope, envelope, sampleSettings, stubFetch } from '@/test/helpers';
import { setApiToken, sessionLost } from './auth';
import { ApiError } from './errors';
import { getSettings, updateSettings } from './system';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));

beforeEach(() => {
  setApiToken(null);
  setLocale('zh-CN');
  sessionLost.value = false;
  vi.mocked(ElMessage).mockClear();
});
afterEach(() => vi.unstubAllGlobals());

describe('API client middleware', () => {
  it('adds the Bearer token when one is in memory, and the UI locale as Accept-Language', async () => {
    const { requests } = stubFetch(() => envelope(sampleSettings));
    setApiToken('secret-token-123');
    setLocale('en');

    await expect(getSettings()).resolves.toEqual(sampleSettings);

    const request = requests[0]!;
    expect(new URL(request.url).pathname).toBe('/api/system/settings');
    expect(request.headers.get('Authorization')).toBe('Bearer secret-token-123');
    expect(request.headers.get('Accept-Language')).toBe('en');
    expect(request.credentials).toBe('same-origin');
  });

  it('sends no Authorization header without a token (the session cookie authenticates)', async () => {
    const { requests } = stubFetch(() => envelope(sampleSettings));
    await getSettings();
    expect(requests[0]!.headers.has('Authorization')).toBe(false);
    expect(requests[0]!.headers.get('Accept-Language')).toBe('zh-CN');
  });

  it('maps an error envelope to ApiError and shows the message with the first details', async () => {
    stubFetch(() =>
      errorEnvelope(422, {
        code: ErrorCodes.VALIDATION_ERROR.code,
        message: '参数校验失败',
        details: [{ field: 'body.theme', message: 'must be one of light, dark, system' }],
      }),
    );

    const error = await updateSettings({ theme: 'light' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 1001,
      status: 422,
      message: '参数校验失败',
      details: [{ field: 'body.theme', message: 'must be one of light, dark, system' }],
    });
    expect(ElMessage).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'error',
        message: '参数校验失败 (body.theme: must be one of light, dark, system)',
      }),
    );
  });

  it('sends the PATCH body as JSON', async () => {
    const { requests } = stubFetch(() => envelope({ ...sampleSettings, theme: 'dark' }));
    await expect(updateSettings({ theme: 'dark' })).resolves.toMatchObject({ theme: 'dark' });
    expect(requests[0]!.method).toBe('PATCH');
    expect(await requests[0]!.json()).toEqual({ theme: 'dark' });
  });

  it('flags a lost session on 401 instead of showing a message', async () => {
    stubFetch(() => errorEnvelope(401, { code: ErrorCodes.UNAUTHORIZED.code, message: 'Unauthorized' }));
    const error = await getSettings().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 6000, status: 401 });
    expect(sessionLost.value).toBe(true);
    expect(ElMessage).not.toHaveBeenCalled();
  });

  it('shows a localized "cannot reach the local server" message on network failure', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    setLocale('en');
    const error = await getSettings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: ErrorCodes.SERVICE_UNAVAILABLE.code });
    expect(ElMessage).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('Cannot reach the local server') }),
    );
  });

  it('handles a non-envelope error body', async () => {
    stubFetch(() => new Response('Bad Gateway', { status: 502 }));
    const error = await getSettings().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: ErrorCodes.INTERNAL_ERROR.code, message: '请求失败（HTTP 502）' });
  });
});
