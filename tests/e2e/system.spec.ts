import { expect, test, type Page } from '@playwright/test';
import { serve, tempDir } from './serve';

async function openSystem(page: Page) {
  await page.locator('#app-nav').getByRole('link', { name: /系统|System/ }).click();
}

async function chooseOption(page: Page, testId: string, label: RegExp) {
  await page.getByTestId(testId).click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: label }).first().click();
}

test('opens the printed URL, shows real health, and a changed setting survives a server restart', async ({ page }) => {
  const data = tempDir();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    // While the server is down the page's streams try to reconnect: refused connections are expected.
    if (msg.type() === 'error' && !msg.text().includes('ERR_CONNECTION_REFUSED')) consoleErrors.push(msg.text());
  });
  let app = await serve(data.dir);
  try {
    await page.goto(app.url);
    // The token is traded for the session cookie and removed from the address bar.
    await expect(page).not.toHaveURL(/token=/);
    await openSystem(page); // from the home page (the Dashboard)
    await expect(page.getByTestId('health-status')).toContainText(/ok|degraded|正常|降级/i);
    await expect(page.getByTestId('health-db-ok')).toBeVisible();
    await expect(page.getByTestId('health-uptime')).toBeVisible();
    await expect(page.locator('html')).not.toHaveClass(/dark/);

    await chooseOption(page, 'setting-theme', /深色|Dark/);
    await page.getByTestId('settings-save').click();
    await expect(page.locator('html')).toHaveClass(/dark/);

    expect(await app.stop()).toBe(0);
    app = await serve(data.dir);
    await page.goto(app.url);
    await openSystem(page);
    await expect(page.getByTestId('health-status')).toBeVisible();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(page.getByTestId('setting-theme')).toContainText(/深色|Dark/);

    // Back to light so the assertion above is about persistence, not a default.
    await chooseOption(page, 'setting-theme', /浅色|Light/);
    await page.getByTestId('settings-save').click();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
    expect(consoleErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('an API request without the token is refused in the envelope', async ({ request }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    const res = await request.get(`${app.origin}/api/system/health`);
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, code: 6000 });
    const ok = await request.get(`${app.origin}/api/system/health`, { headers: { authorization: `Bearer ${app.token}` } });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).data.database.ok).toBe(true);
  } finally {
    await app.stop();
    data.remove();
  }
});
