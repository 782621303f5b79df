/**
 * Alerts in the browser (serve mode): the app shell follows /api/stream/alerts from startup, and a
 * test alert raised over the API (POST /api/alerts/test) shows exactly one Web Notification when
 * the server's decision says so — and none for an alert below the minimum severity.
 * Notifications are recorded by wrapping window.Notification before the page loads.
 */
import { expect, test, type Page } from '@playwright/test';
import { serve, tempDir, type ServedApp } from './serve';

test.use({ permissions: ['notifications'] });

interface Recorded {
  title: string;
  body?: string;
  tag?: string;
  silent?: boolean;
}

const recorded = (page: Page) => page.evaluate(() => (globalThis as unknown as { __notifications: Recorded[] }).__notifications);

async function alertsStreamOpen(page: Page, app: ServedApp): Promise<void> {
  await expect
    .poll(async () => {
      const res = await page.request.get(`${app.origin}/api/stream/status`, { headers: { authorization: `Bearer ${app.token}` } });
      const topics = ((await res.json()) as { data: { topics: { topic: string; connections: number }[] } }).data.topics;
      return topics.find((t) => t.topic === 'alerts')?.connections ?? 0;
    })
    .toBeGreaterThan(0);
}

test('a test alert raised over the API shows one browser notification', async ({ page }) => {
  await page.addInitScript(() => {
    type Options = { body?: string; tag?: string; silent?: boolean };
    const w = globalThis as unknown as { __notifications: Recorded[]; Notification: new (title: string, options?: Options) => object };
    w.__notifications = [];
    const Real = w.Notification;
    w.Notification = new Proxy(Real, {
      construct(target, args: [string, Options?]) {
        const [title, options = {}] = args;
        w.__notifications.push({ title, body: options.body, tag: options.tag, silent: options.silent });
        return Reflect.construct(target, args) as object;
      },
    });
  });
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    await page.goto(app.url);
    await expect(page).not.toHaveURL(/token=/);
    expect(await page.evaluate(() => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission)).toBe('granted');
    await alertsStreamOpen(page, app);

    const raise = async (severity: string) => {
      const res = await page.request.post(`${app.origin}/api/alerts/test`, { headers: { authorization: `Bearer ${app.token}` }, data: { severity, message: `e2e ${severity}` } });
      expect(res.status()).toBe(201);
      return ((await res.json()) as { data: { id: string; title: string; notify: { show: boolean } } }).data;
    };
    const alert = await raise('critical');
    expect(alert.notify.show).toBe(true);
    await expect.poll(() => recorded(page)).toEqual([{ title: alert.title, body: 'e2e critical', tag: alert.id, silent: false }]);

    // Below the default minimum severity (warning): streamed, not notified.
    const quiet = await raise('info');
    expect(quiet.notify.show).toBe(false);
    await page.waitForTimeout(300);
    expect(await recorded(page)).toHaveLength(1);
  } finally {
    await app.stop();
    data.remove();
  }
});
