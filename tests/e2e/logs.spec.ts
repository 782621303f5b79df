/**
 * Log Viewer against the real server: live tail, a server restart on the same port and token
 * (reconnecting → open, a divider, no line twice), and the server-side level filter.
 * Each test starts its own server on its own temporary data directory.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { randomToken, serve, tempDir, type ServedApp } from './serve';

function patchSettings(page: Page, app: ServedApp, body: Record<string, string>): Promise<APIResponse> {
  return page.request.patch(`${app.origin}/api/system/settings`, {
    headers: { authorization: `Bearer ${app.token}` },
    data: body,
  });
}

const rows = (page: Page) => page.getByTestId('logs-row');
const rowsWith = (page: Page, text: string) => rows(page).filter({ hasText: text });

/** Opens the printed URL (token → cookie), then the Logs page from the navigation. */
async function openLogs(page: Page, app: ServedApp): Promise<void> {
  await page.goto(app.url);
  await expect(page).not.toHaveURL(/token=/);
  await page.locator('#app-nav').getByRole('link', { name: /日志|Logs/ }).click();
  await expect(page.getByTestId('logs-connection')).toHaveAttribute('data-state', 'open');
  // History loaded. At DEBUG the page's own requests can push 'server ready' out of the
  // virtual list's rendered rows, so wait on the count rather than on one line.
  await expect(page.getByTestId('logs-count')).toHaveText(/^[1-9][\d,]* 行$/);
}

test('shows recent history, then a new server line within a second', async ({ page }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    await openLogs(page, app);
    await expect(rowsWith(page, 'server ready')).toBeVisible(); // the history before the page opened
    await expect(page.getByTestId('logs-connection')).toContainText('实时');
    await expect(rowsWith(page, 'settings updated')).toHaveCount(0);

    expect((await patchSettings(page, app, { priceColors: 'green-up' })).ok()).toBe(true);
    await expect(rowsWith(page, 'settings updated')).toBeVisible({ timeout: 1000 });
    await expect(rowsWith(page, 'settings updated')).toHaveCount(1);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('survives a server restart: reconnecting, then a divider, new lines and no line twice', async ({ page }) => {
  const data = tempDir();
  const token = randomToken();
  let app = await serve(data.dir, token);
  const connection = page.getByTestId('logs-connection');
  try {
    await openLogs(page, app);
    expect((await patchSettings(page, app, { priceColors: 'green-up' })).ok()).toBe(true);
    await expect(rowsWith(page, 'settings updated')).toHaveCount(1);

    expect(await app.stop()).toBe(0);
    await expect(connection).toHaveAttribute('data-state', 'reconnecting');
    await expect(connection).toContainText('重连中');

    // Same port, token and data directory: same origin, and the session cookie is still valid.
    app = await serve(data.dir, token, { port: app.port });
    await expect(connection).toHaveAttribute('data-state', 'open', { timeout: 20_000 });
    await expect(page.getByTestId('logs-divider')).toHaveCount(1);
    await expect(page.getByTestId('logs-divider')).toContainText('服务已重启，日志继续');
    await expect(rowsWith(page, 'server ready')).toHaveCount(2); // one per launch

    expect((await patchSettings(page, app, { priceColors: 'red-up' })).ok()).toBe(true);
    await expect(rowsWith(page, 'settings updated')).toHaveCount(2);

    // Order: the first launch, the divider, then the new launch; and every line exactly once.
    const lines = await page
      .locator('[data-testid="logs-row"], [data-testid="logs-divider"]')
      .evaluateAll((nodes) => nodes.map((n) => (n.getAttribute('data-testid') === 'logs-divider' ? '--divider--' : (n.textContent ?? '').replace(/\s+/g, ' ').trim())));
    const divider = lines.indexOf('--divider--');
    const ready = lines.flatMap((text, i) => (text.includes('server ready') ? [i] : []));
    expect(ready).toHaveLength(2);
    expect(ready[0]!).toBeLessThan(divider);
    expect(ready[1]!).toBeGreaterThan(divider);
    const entries = lines.filter((text) => text !== '--divider--');
    expect(entries.length).toBeGreaterThanOrEqual(6);
    expect(entries.filter((text, i) => entries.indexOf(text) !== i)).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('the ERROR level filter hides INFO lines, on the server side', async ({ page }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    await openLogs(page, app);
    await expect(page.locator('[data-testid="logs-row"][data-level="INFO"]').first()).toBeVisible();

    const reconnected = page.waitForRequest((r) => r.url().includes('/api/stream/logs?level=ERROR'));
    await page.getByTestId('logs-level').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^ERROR$/ }).click();
    await reconnected;
    await expect(page.getByTestId('logs-connection')).toHaveAttribute('data-state', 'open');
    await expect(page.locator('[data-testid="logs-row"][data-level="INFO"]')).toHaveCount(0);
    await expect(page.getByText('暂无日志')).toBeVisible();

    // A new INFO line is not sent to this stream at all...
    expect((await patchSettings(page, app, { priceColors: 'green-up' })).ok()).toBe(true);
    await page.waitForTimeout(700);
    await expect(rowsWith(page, 'settings updated')).toHaveCount(0);

    // ...yet it exists: back to all levels, it is there.
    await page.getByTestId('logs-level').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /全部级别|All levels/ }).click();
    await expect(rowsWith(page, 'settings updated')).toHaveCount(1);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('scrolling up stops following, End jumps back; a pause holds new lines and loses none', async ({ page }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  const live = () => page.request.get(`${app.origin}/api/health/live`); // one DEBUG line each
  try {
    expect((await patchSettings(page, app, { logLevel: 'DEBUG' })).ok()).toBe(true);
    await openLogs(page, app);
    for (let i = 0; i < 80; i++) await live();
    const count = page.getByTestId('logs-count');
    await expect(count).toHaveText(/^(8\d|9\d|1\d\d) 行$/);
    await expect(page.getByTestId('logs-jump')).toHaveCount(0); // following

    const list = page.getByRole('listbox');
    await list.hover();
    await page.mouse.wheel(0, -600);
    await expect(page.getByTestId('logs-jump')).toBeVisible();
    const firstRow = await rows(page).first().textContent();
    for (let i = 0; i < 10; i++) await live();
    await page.waitForTimeout(300);
    expect(await rows(page).first().textContent()).toBe(firstRow); // the view stayed put

    await page.keyboard.press('End');
    await expect(page.getByTestId('logs-jump')).toHaveCount(0);
    const lastLine = async () => (await rows(page).last().textContent()) ?? '';
    await live();
    await expect.poll(lastLine).toContain('/api/health/live');

    // Pause: lines keep arriving into the buffer; resume shows them all.
    await page.keyboard.press('p');
    await expect(page.getByTestId('logs-pause')).toHaveAttribute('aria-pressed', 'true');
    const before = Number((await count.textContent())!.replace(/\D/g, ''));
    for (let i = 0; i < 5; i++) await live();
    await expect(page.getByTestId('logs-held')).toHaveText(/^([5-9]|\d\d) 条新日志$/);
    const held = Number((await page.getByTestId('logs-held').textContent())!.replace(/\D/g, ''));
    expect(Number((await count.textContent())!.replace(/\D/g, ''))).toBe(before);
    await page.keyboard.press(' ');
    await expect(page.getByTestId('logs-pause')).toHaveAttribute('aria-pressed', 'false');
    await expect(count).toHaveText(`${before + held} 行`);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('copies the selected line and exports the filtered lines as .log and .json', async ({ page, context }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    await openLogs(page, app);
    await rowsWith(page, 'server ready').click();
    await expect(page.getByTestId('logs-details')).toContainText('dataDir');
    await page.getByTestId('logs-copy-selected').click();
    // The root tsconfig has no DOM lib; this runs in the page, where navigator exists.
    const readClipboard = () => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText();
    await expect.poll(() => page.evaluate(readClipboard)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {4}\[system\] server ready \{"dataDir":/);

    const exported = async (item: string) => {
      await page.getByTestId('logs-export').click();
      const download = page.waitForEvent('download');
      await page.getByTestId(item).click();
      const file = await download;
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    };
    const log = await exported('logs-export-log');
    expect(log.name).toMatch(/^mystocks-logs-\d{8}-\d{6}\.log$/);
    expect(log.text).toContain('[system] server ready');
    const json = await exported('logs-export-json');
    expect(json.name).toMatch(/\.json$/);
    const entries = JSON.parse(json.text) as { message: string }[];
    expect(entries.map((e) => e.message)).toContain('server ready');
    expect(entries.length).toBe(log.text.trim().split('\n').length);
  } finally {
    await app.stop();
    data.remove();
  }
});
