/**
 * Technical-indicator panes on the Market page, against the real server with the bundled sample
 * (600000.SH daily, 6,119 bars), on a fresh data directory: switch the formula convention to TDX,
 * add MACD and KDJ from the picker, check that their panes appear and that the legends at the last
 * bar show the server's own values (POST /api/indicators/calculate for the same bars), edit a
 * parameter in place, reload (the set is remembered in the settings), remove an indicator.
 */
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { serve, tempDir, type ServedApp } from './serve';
import { openMarket } from './nav';

const BARS = 6119; // sh600000.day in resources/sample-data
const LAST_DATE = '2025-08-05';
/** The chart's fixed right margin (PLOT_RIGHT in renderer/src/features/market/chart/kline-option.ts). */
const PLOT_RIGHT = 12;

const chart = (page: Page) => page.getByTestId('market-chart');
const legend = (page: Page, name: string) => page.locator(`[data-testid="indicator-legend"][data-name="${name}"]`);
const panes = (page: Page) => page.getByTestId('indicator-pane');

async function expectChartDrawn(page: Page): Promise<void> {
  await expect(chart(page)).toHaveAttribute('data-bars', String(BARS), { timeout: 30_000 });
  await expect(chart(page)).toHaveAttribute('data-first-paint-ms', /^\d/);
}

/** The last value of each output of `name` (TDX), as the server computes it over the chart's bars. */
async function serverLast(request: APIRequestContext, app: ServedApp, name: string, params?: Record<string, number>): Promise<Record<string, number>> {
  const response = await request.post(`${app.origin}/api/indicators/calculate`, {
    headers: { authorization: `Bearer ${app.token}` },
    // The chart's K-line query: the newest page of 20,000 bars, unadjusted.
    data: { symbol: '600000.SH', period: 'day', adjust: 'none', limit: 20_000, convention: 'tdx', indicators: [params ? { name, params } : { name }] },
  });
  expect(response.ok()).toBe(true);
  const { data } = await response.json();
  expect(data.count).toBe(BARS);
  expect(data.time.at(-1)).toBe(LAST_DATE);
  const outputs = data.results[0].outputs as Record<string, (number | null)[]>;
  return Object.fromEntries(Object.entries(outputs).map(([output, values]) => [output, values.at(-1)!]));
}

/** Each legend value equals the server's, to the decimals shown. */
async function expectLegendValues(row: Locator, expected: Record<string, number>): Promise<void> {
  for (const [output, value] of Object.entries(expected)) {
    const text = (await row.locator(`[data-testid="indicator-value"][data-output="${output}"]`).textContent()) ?? '';
    const shown = /(-?\d+(?:\.(\d+))?)\s*$/.exec(text.trim());
    expect(shown, `${output}: "${text}"`).not.toBeNull();
    const decimals = shown![2]?.length ?? 0;
    expect(Math.abs(Number(shown![1]) - value), `${output}: shown ${shown![1]}, server ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
  }
}

/** Moves the mouse over the newest candle, at the height of `pane`'s plot. */
async function hoverLastBar(page: Page, pane: Locator): Promise<void> {
  const canvas = (await chart(page).locator('canvas').first().boundingBox())!;
  const legendBox = (await pane.boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width - PLOT_RIGHT - 2, legendBox.y + legendBox.height + 24);
  await expect(page.getByTestId('market-readout-time')).toHaveText(LAST_DATE);
}

function settingsSaved(page: Page) {
  return page.waitForResponse((r) => r.url().endsWith('/api/system/settings') && r.request().method() === 'PATCH' && r.ok());
}

test('indicator panes: TDX MACD and KDJ with the server values at the last bar, edited, remembered, removed', async ({ page }) => {
  test.setTimeout(90_000);
  const data = tempDir();
  const app = await serve(data.dir);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    // A known start: TA-Lib SMA(5) and volume.
    const start = await page.request.patch(`${app.origin}/api/system/settings`, {
      headers: { authorization: `Bearer ${app.token}` },
      data: { chartIndicators: { convention: 'talib', indicators: [{ name: 'SMA', params: { period: 5 } }, { name: 'VOL' }] } },
      // Once in a CI run this first request of a just-started server met ECONNRESET (cause not
      // found; the settings PATCH is idempotent): Playwright retries a reset connection.
      maxRetries: 2,
    });
    expect(start.ok()).toBe(true);

    await page.goto(app.url);
    await openMarket(page);
    await expectChartDrawn(page);
    await expect(page.getByTestId('market-period-day')).toHaveClass(/is-active/);
    await expect(page.getByTestId('indicator-convention-talib')).toHaveClass(/is-active/);
    await expect(legend(page, 'SMA')).toHaveAttribute('data-title', 'SMA(5)');
    await expect(panes(page)).toHaveCount(1);

    // TDX: SMA(5) becomes MA(5), VOL stays.
    let saved = settingsSaved(page);
    await page.getByTestId('indicator-convention-tdx').click();
    await expect(page.getByTestId('indicator-convention-tdx')).toHaveClass(/is-active/);
    await expect(legend(page, 'MA')).toHaveAttribute('data-title', 'MA(5)');
    await expect(legend(page, 'VOL')).toHaveAttribute('data-state', 'ready');
    await saved;

    // MACD and KDJ from the picker, by keyboard.
    await page.getByTestId('indicator-add').click();
    const search = page.getByTestId('indicator-search');
    await expect(search).toBeFocused();
    await search.fill('macd');
    await expect(page.getByTestId('indicator-option')).toHaveCount(1);
    await page.keyboard.press('Enter');
    await search.fill('随机');
    await expect(page.getByTestId('indicator-option').first()).toHaveAttribute('data-name', 'KDJ');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('indicator-option').first().getByTestId('indicator-option-added')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('indicator-picker')).toBeHidden();

    await expect(panes(page)).toHaveCount(3);
    expect(await panes(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-name')))).toEqual(['VOL', 'MACD', 'KDJ']);
    await expect(chart(page)).toHaveAttribute('data-panes', '3');
    for (const name of ['MACD', 'KDJ']) await expect(legend(page, name)).toHaveAttribute('data-state', 'ready');
    await expect(legend(page, 'MACD')).toHaveAttribute('data-title', 'MACD(12,26,9)');
    await expect(legend(page, 'KDJ')).toHaveAttribute('data-title', 'KDJ(9,3,3)');

    // The legends at the last bar show what the server computes for the same bars.
    const macdPane = panes(page).filter({ has: legend(page, 'MACD') });
    await hoverLastBar(page, macdPane);
    await expectLegendValues(legend(page, 'MACD'), await serverLast(page.request, app, 'MACD'));
    await expectLegendValues(legend(page, 'KDJ'), await serverLast(page.request, app, 'KDJ'));
    await expect(legend(page, 'MACD')).toContainText(/DIF\s*-?\d+\.\d{3}\s*DEA\s*-?\d+\.\d{3}\s*MACD\s*-?\d+\.\d{3}/);

    // An earlier bar under the crosshair: other values.
    const before = await legend(page, 'KDJ').textContent();
    const canvas = (await chart(page).locator('canvas').first().boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 3);
    await expect(page.getByTestId('market-readout-time')).not.toHaveText(LAST_DATE);
    await expect(legend(page, 'KDJ')).not.toHaveText(before!);

    // Edit MACD's fast period in place: Enter applies.
    await legend(page, 'MACD').getByTestId('indicator-title').click();
    const editor = page.locator('[data-testid="indicator-params"]:visible');
    await expect(editor).toBeVisible();
    const fast = editor.getByTestId('indicator-param-fast').locator('input');
    await expect(fast).toHaveValue('12');
    saved = settingsSaved(page);
    await fast.fill('10');
    await page.keyboard.press('Enter');
    await expect(editor).toBeHidden();
    await expect(legend(page, 'MACD')).toHaveAttribute('data-title', 'MACD(10,26,9)');
    await saved;
    await expect(legend(page, 'MACD')).toHaveAttribute('data-state', 'ready');
    await hoverLastBar(page, macdPane);
    await expectLegendValues(legend(page, 'MACD'), await serverLast(page.request, app, 'MACD', { fast: 10 }));

    // Escape cancels an edit.
    await legend(page, 'KDJ').getByTestId('indicator-title').click();
    await expect(editor).toBeVisible();
    await editor.getByTestId('indicator-param-n').locator('input').fill('20');
    await page.keyboard.press('Escape');
    await expect(editor).toBeHidden();
    await expect(legend(page, 'KDJ')).toHaveAttribute('data-title', 'KDJ(9,3,3)');

    // Reload: the set is remembered (convention, indicators, the edited parameter).
    await page.reload();
    await expectChartDrawn(page);
    await expect(page.getByTestId('indicator-convention-tdx')).toHaveClass(/is-active/);
    await expect(page.getByTestId('indicator-legend')).toHaveCount(4);
    expect(await page.getByTestId('indicator-legend').evaluateAll((els) => els.map((el) => el.getAttribute('data-title')))).toEqual([
      'MA(5)',
      'VOL(5,10)',
      'MACD(10,26,9)',
      'KDJ(9,3,3)',
    ]);
    await expect(legend(page, 'KDJ')).toHaveAttribute('data-state', 'ready');

    // Remove KDJ from its legend: its pane goes, and stays gone.
    saved = settingsSaved(page);
    await legend(page, 'KDJ').getByTestId('indicator-remove').click();
    await expect(legend(page, 'KDJ')).toHaveCount(0);
    await expect(panes(page)).toHaveCount(2);
    await saved;
    const settings = await page.request.get(`${app.origin}/api/system/settings`, { headers: { authorization: `Bearer ${app.token}` } });
    expect((await settings.json()).data.chartIndicators).toEqual({
      convention: 'tdx',
      indicators: [{ name: 'MA', params: { period: 5 } }, { name: 'VOL' }, { name: 'MACD', params: { fast: 10, slow: 26, signal: 9 } }],
    });
    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
