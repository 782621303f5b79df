/**
 * Issue 11's acceptance, tried as a new user would, offline: a fresh data directory (the bundled
 * sample is imported on first launch), a replay account, 600000.SH replayed bar by bar from
 * 2025-04-01. A "position loss ≥ 3 %" rule is written in the Risk page's editor; 100 shares are
 * bought at market from the ticket and fill on the next bar; on 2025-04-07 the close (9.65) is
 * more than 3 % under the cost (about 10.46), the rule trips, the alert appears in the alert center
 * and exactly one browser notification is shown (serve mode's Web Notifications path).
 * Notifications are recorded by wrapping window.Notification before the page loads.
 */
import { expect, test, type Page } from '@playwright/test';
import { sampleImported } from './nav';
import { serve, tempDir } from './serve';

test.use({ permissions: ['notifications'] });

interface Recorded {
  title: string;
  body?: string;
  tag?: string;
}

const recorded = (page: Page) => page.evaluate(() => (globalThis as unknown as { __notifications: Recorded[] }).__notifications);

async function step(page: Page, n: number): Promise<void> {
  await page.getByTestId('replay-step').click();
  await expect(page.getByTestId('replay-progress')).toHaveText(new RegExp(`^${n}/\\d+`));
}

test('acceptance: replay 600000.SH, buy on paper, a position-loss rule trips, the alert center and a notification show it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    type Options = { body?: string; tag?: string };
    const w = globalThis as unknown as { __notifications: Recorded[]; Notification: new (title: string, options?: Options) => object };
    w.__notifications = [];
    w.Notification = new Proxy(w.Notification, {
      construct(target, args: [string, Options?]) {
        const [title, options = {}] = args;
        w.__notifications.push({ title, body: options.body, tag: options.tag });
        return Reflect.construct(target, args) as object;
      },
    });
  });
  const data = tempDir();
  const app = await serve(data.dir);
  const headers = { authorization: `Bearer ${app.token}` };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    await sampleImported(page, app);
    await page.goto(app.url);
    await expect(page).toHaveURL(/#\/dashboard$/);

    // A replay account, and the replay at 2025-04-01.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('account-create').click();
    await page.getByTestId('account-name').fill('验收 回放');
    await page.getByTestId('account-create-submit').click();
    await expect(page.getByTestId('account-select')).toContainText('验收 回放');
    await page.getByTestId('replay-symbols').getByTestId('backtest-symbols').click();
    await page.keyboard.type('600000');
    await page.getByRole('option', { name: /600000\.SH/ }).click();
    await page.keyboard.press('Escape');
    await page.locator('#replay-start').fill('2025-04-01');
    await page.locator('#replay-start').press('Enter');
    await step(page, 1);
    await expect(page.getByTestId('replay-clock')).toHaveText(/^2025-04-01/);

    // The rule, written in the Risk page's editor: 600000.SH in this account, loss ≥ 3 %, critical.
    await page.keyboard.press('Alt+4');
    await expect(page).toHaveURL(/#\/risk$/);
    await page.getByTestId('rule-new').click();
    const editor = page.getByRole('dialog');
    await editor.getByTestId('rule-name').fill('浦发 亏损 3%');
    await editor.getByTestId('rule-kind').click();
    await page.getByRole('option', { name: '持仓亏损', exact: true }).click();
    await editor.getByTestId('rule-param-thresholdPercent').locator('input').fill('3');
    await editor.getByTestId('rule-symbol').fill('600000.SH');
    await editor.getByRole('radio', { name: '严重' }).check({ force: true });
    await editor.getByTestId('rule-save').click();
    await expect(editor).toBeHidden();
    await expect(page.getByTestId('rule-row').filter({ hasText: '浦发 亏损 3%' })).toHaveCount(1);

    // Buy 100 at market; the next bar (2025-04-02) fills it.
    await page.keyboard.press('Alt+3');
    const ticket = page.getByTestId('order-ticket');
    await expect(ticket.locator('.symbol-field input')).toHaveValue('600000.SH');
    const quantity = ticket.getByTestId('ticket-quantity').locator('input');
    await quantity.fill('100');
    await expect(ticket.getByTestId('ticket-problem')).toHaveCount(0);
    await quantity.press('Enter');
    await expect(page.getByTestId('order-row')).toHaveCount(1);
    await step(page, 2);
    const position = page.locator('[data-testid="position-row"][data-symbol="600000.SH"]');
    await expect(position.getByTestId('position-quantity')).toHaveText('100');

    // 2025-04-03 closes above the cost: nothing. 2025-04-07 closes at 9.65: the rule trips once.
    await step(page, 3);
    expect(await recorded(page)).toEqual([]);
    await step(page, 4);
    await expect(page.getByTestId('replay-clock')).toHaveText(/^2025-04-07/);
    await expect(page.getByTestId('topbar-alerts-badge').locator('sup')).toHaveText('1');

    const alerts = (await (await page.request.get(`${app.origin}/api/alerts`, { headers })).json()) as {
      data: { items: { id: string; title: string; message: string; severity: string; value: number; threshold: number; symbol?: string }[] };
    };
    expect(alerts.data.items).toHaveLength(1);
    const alert = alerts.data.items[0]!;
    expect(alert).toMatchObject({ severity: 'critical', symbol: '600000.SH', threshold: 3 });
    // The loss is the rule's definition (docs/RULES.md) on the server's own cost basis (the fill
    // price with slippage, plus the fees) and the 2025-04-07 close.
    const accounts = (await (await page.request.get(`${app.origin}/api/trade/accounts`, { headers })).json()) as { data: { id: number }[] };
    const positions = (await (await page.request.get(`${app.origin}/api/trade/accounts/${accounts.data[0]!.id}/positions`, { headers })).json()) as {
      data: { symbol: string; quantity: number; costBasis: number }[];
    };
    const held = positions.data.find((p) => p.symbol === '600000.SH')!;
    const avgCost = held.costBasis / held.quantity;
    expect(alert.value).toBeCloseTo(((avgCost - 9.65) / avgCost) * 100, 9);

    // The alert center shows it; the browser showed exactly one notification, for this alert.
    await page.getByTestId('topbar-alerts').click();
    const center = page.getByTestId('alert-center');
    await expect(center.getByTestId('alert-item')).toHaveCount(1);
    await expect(center.getByTestId('alert-item')).toContainText('浦发 亏损 3%');
    await expect.poll(() => recorded(page)).toEqual([{ title: alert.title, body: alert.message, tag: alert.id }]);

    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
