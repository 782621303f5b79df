/**
 * Paper trading against the real server on a fresh data directory, offline: the dashboard is home;
 * on the Trading page (Alt+3) create a replay account, pick 600000.SH in the replay bar and walk
 * the bundled sample's daily bars by steps from 2025-06-02; the ticket refuses an odd lot as it is
 * typed, then Enter buys 100 shares at market; the next step fills it — the fill, the position and
 * the cash show it. Then the alert center: a test alert raises the header badge, "mark all read"
 * clears it. Every wait is on what the page shows, never on how fast the replay runs.
 */
import { expect, test } from '@playwright/test';
import { sampleImported } from './nav';
import { serve, tempDir } from './serve';

test('trading: replay account, step through 600000.SH, buy from the ticket, see the fill and the position; alert badge', async ({ page }) => {
  test.setTimeout(120_000);
  const data = tempDir();
  const app = await serve(data.dir);
  const headers = { authorization: `Bearer ${app.token}` };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    await sampleImported(page, app);

    await page.goto(app.url);
    await expect(page).toHaveURL(/#\/dashboard$/);
    await expect(page.getByTestId('dashboard-account')).toContainText('还没有模拟账户');

    await page.keyboard.press('Alt+3');
    await expect(page).toHaveURL(/#\/trading$/);
    await expect(page.getByTestId('trading-empty')).toBeVisible();

    // A replay account (the dialog's default mode).
    await page.getByTestId('account-create').click();
    await page.getByTestId('account-name').fill('e2e 回放');
    await page.getByTestId('account-create-submit').click();
    await expect(page.getByTestId('account-select')).toContainText('e2e 回放');
    await expect(page.getByTestId('account-cash')).toHaveText('1,000,000.00');

    // Replay 600000.SH from 2025-06-02, one bar at a time.
    await page.getByTestId('replay-symbols').getByTestId('backtest-symbols').click();
    await page.keyboard.type('600000');
    await page.getByRole('option', { name: /600000\.SH/ }).click();
    await page.keyboard.press('Escape');
    await page.locator('#replay-start').fill('2025-06-02');
    await page.locator('#replay-start').press('Enter');
    await page.getByTestId('replay-step').click();
    const bar = page.getByTestId('replay-bar');
    await expect(bar).toHaveAttribute('data-state', 'paused');
    await expect(page.getByTestId('replay-progress')).toHaveText(/^1\/\d+/);
    await expect(page.getByTestId('replay-clock')).toHaveText(/^2025-06-0\d/);

    // The ticket follows the replay's symbol and its replayed price.
    const ticket = page.getByTestId('order-ticket');
    await expect(ticket.locator('.symbol-field input')).toHaveValue('600000.SH');
    await expect(ticket.getByTestId('ticket-quote')).toContainText('浦发银行');
    await expect(ticket.getByTestId('ticket-last')).toHaveText(/^\d+\.\d{2}$/);

    // An odd lot is refused as it is typed; 100 shares pass, and Enter submits.
    const quantity = ticket.getByTestId('ticket-quantity').locator('input');
    await quantity.fill('50');
    await expect(ticket.getByTestId('ticket-problem')).toHaveText('买入至少 100 股');
    await quantity.fill('100');
    await expect(ticket.getByTestId('ticket-problem')).toHaveCount(0);
    await quantity.press('Enter');
    await expect(page.getByTestId('order-row')).toHaveCount(1);

    // The next bar fills the market order.
    await page.getByTestId('replay-step').click();
    await expect(page.getByTestId('replay-progress')).toHaveText(/^2\/\d+/);
    await expect(page.locator('[data-testid="order-row"][data-status="filled"]')).toHaveCount(1);
    const position = page.locator('[data-testid="position-row"][data-symbol="600000.SH"]');
    await expect(position.getByTestId('position-quantity')).toHaveText('100');
    await expect(page.getByTestId('account-cash')).not.toHaveText('1,000,000.00');

    await page.getByRole('tab', { name: /成交/ }).click();
    const fill = page.getByTestId('fill-row');
    await expect(fill).toHaveCount(1);
    await expect(fill.getByTestId('fill-quantity')).toHaveText('100');

    // The same fill as the server has it.
    const accounts = (await (await page.request.get(`${app.origin}/api/trade/accounts`, { headers })).json()) as { data: { id: number }[] };
    const fills = (await (await page.request.get(`${app.origin}/api/trade/accounts/${accounts.data[0]!.id}/fills`, { headers })).json()) as {
      data: { quantity: number; price: number; side: string }[];
    };
    expect(fills.data).toHaveLength(1);
    expect(fills.data[0]).toMatchObject({ quantity: 100, side: 'buy' });
    await expect(fill.getByTestId('fill-price')).toHaveText(fills.data[0]!.price.toFixed(2));

    // The alert center: a test alert raises the badge; mark all read clears it.
    await page.getByTestId('topbar-alerts').click();
    const center = page.getByTestId('alert-center');
    await expect(center).toBeVisible();
    await center.getByTestId('alerts-test').click();
    await page.getByTestId('alerts-test-warning').click();
    await expect(center.getByTestId('alert-item')).toHaveCount(1);
    await expect(page.getByTestId('topbar-alerts-badge').locator('sup')).toHaveText('1');
    await center.getByTestId('alerts-read-all').click();
    await expect(page.getByTestId('topbar-alerts-badge').locator('sup')).toBeHidden();

    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
