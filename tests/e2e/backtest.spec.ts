/**
 * The backtest flow against the real server on a fresh data directory: import 600519.SH (daily,
 * forward-adjusted, from ../shared/data) through the CSV import API, open the Backtest page, run
 * dual MA with its defaults on 2020-01-01..2025-09-30 (Enter in a field submits), watch the
 * progress card, land on the result, and check the page against the stored result: the metrics,
 * the trades table, and the first sell's stamp duty — 0.1 % of its value before 2023-08-28 and
 * 0.05 % from then on, rounded to the fen, as a trader would check it by hand. Then a run that
 * cannot load its bars fails in the progress card with its code's message and Retry.
 * Nothing here depends on how fast the run is.
 */
import { expect, test, type Page } from '@playwright/test';
import { sharedDataDir, sharedDataPath, sharedDataSkipReason, skipWithoutSharedData } from '../helpers/shared-data';
import { serve, tempDir } from './serve';

const noData = skipWithoutSharedData('tests/e2e/backtest.spec.ts (imports 600519.SH from csv/ashare-daily-qfq)');

/** The halving of the stamp duty (财政部 公告 2023 年第 39 号): trades from this date pay 0.05 %. */
const STAMP_DUTY_HALVED = '2023-08-28';

/** `1,234,567.89` → 123456789 (fen), exactly. */
function fenOf(text: string): number {
  const match = /^(-?)([\d,]+)\.(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not an amount in yuan: "${text}"`);
  const fen = Number(match[2]!.replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] ? -fen : fen;
}

/** As the metric cards write a return: `+12.34%`. */
function signedPct(value: number): string {
  const text = (value * 100).toFixed(2);
  return value > 0 && Number(text) !== 0 ? `+${text}%` : `${text}%`;
}

/** Records every progress value the progress bars show, however briefly (the run may take a blink). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page (the root tsconfig has no DOM lib, hence the structural types).
    type Page = {
      __progress: number[];
      document: { body: unknown; querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }> };
      MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
    };
    const page = globalThis as unknown as Page;
    const seen: number[] = [];
    page.__progress = seen;
    const read = () => {
      for (const bar of page.document.querySelectorAll('[data-testid="backtest-progress-bar"]')) seen.push(Number(bar.getAttribute('data-progress')));
    };
    new page.MutationObserver(read).observe(page.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-progress'] });
  });
}

test('backtest: dual MA on 600519.SH 2020–2025, progress, result, trades and the stamp duty of the first sell', async ({ page }) => {
  test.skip(noData, sharedDataSkipReason);
  test.setTimeout(120_000);
  const data = tempDir();
  const app = await serve(data.dir, undefined, { importRoots: [sharedDataDir] });
  const headers = { authorization: `Bearer ${app.token}` };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    // 600519.SH is not in the bundled sample: import the reference CSV (date,open,close,high,low,volume in lots).
    const imported = await page.request.post(`${app.origin}/api/data/import/csv`, {
      headers,
      data: {
        path: sharedDataPath('csv', 'ashare-daily-qfq', '600519.csv'),
        symbol: '600519.SH',
        name: '贵州茅台',
        period: 'day',
        adjust: 'qfq',
        mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 },
        volumeUnit: 'lots',
      },
    });
    expect(imported.status()).toBe(202);
    const importId = (await imported.json()).data.id as string;
    await expect
      .poll(async () => (await (await page.request.get(`${app.origin}/api/data/imports/${importId}`, { headers })).json()).data.state, { timeout: 60_000 })
      .toBe('succeeded');

    await page.goto(app.url);
    await page.locator('#app-nav').getByRole('link', { name: /回测|Backtest/ }).click();
    await expect(page).toHaveURL(/#\/backtest$/);

    // Dual MA is the first choice, with its defaults; 5/20 is its default preset.
    await expect(page.locator('[data-strategy="dual-ma"]')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('param-fast').locator('input')).toHaveValue('5');
    await expect(page.getByTestId('param-slow').locator('input')).toHaveValue('20');

    // The symbol through the search (code, pinyin or name), as in the keyboard genie.
    await page.getByTestId('backtest-symbols').click();
    await page.keyboard.type('600519');
    await page.getByRole('option', { name: /600519\.SH/ }).click();
    await page.keyboard.press('Escape');
    for (const [id, value] of [
      ['#bt-start', '2020-01-01'],
      ['#bt-end', '2025-09-30'],
    ] as const) {
      await page.locator(id).fill(value);
      await page.locator(id).press('Tab');
    }
    await expect(page.locator('#bt-start')).toHaveValue('2020-01-01');
    await expect(page.locator('#bt-end')).toHaveValue('2025-09-30');

    // Enter in a field runs the backtest.
    await recordProgress(page);
    await page.getByTestId('backtest-cash').locator('input').press('Enter');

    // It completes and its result opens.
    await expect(page).toHaveURL(/#\/backtest\/results\/[\w-]+$/, { timeout: 60_000 });
    const resultId = /results\/([\w-]+)$/.exec(page.url())![1]!;
    const seen = await page.evaluate(() => (globalThis as unknown as { __progress: number[] }).__progress);
    expect(seen.length, 'the progress card was shown').toBeGreaterThan(0);
    expect(seen.every((p) => Number.isFinite(p) && p >= 0 && p <= 100), `progress values ${seen.join(', ')}`).toBe(true);

    // The page shows the stored result.
    const stored = await page.request.get(`${app.origin}/api/backtest/results/${resultId}`, { headers });
    expect(stored.ok()).toBe(true);
    const { meta, document } = (await stored.json()).data;
    expect(meta.strategy).toBe('dual-ma');
    expect(meta.symbols).toEqual(['600519.SH']);
    expect(document.config.params).toMatchObject({ fast: 5, slow: 20 });
    await expect(page.getByTestId('backtest-result-name')).toHaveText(meta.name);
    await expect(page.getByTestId('metric-totalReturn')).toHaveText(signedPct(document.metrics.totalReturn));
    await expect(page.getByTestId('metric-tradeCount')).toHaveText(String(document.metrics.tradeCount));
    await expect(page.getByTestId('metric-sharpe')).toHaveText(document.metrics.sharpe === null ? '—' : document.metrics.sharpe.toFixed(2));
    expect(document.trades.length).toBeGreaterThan(0);
    await expect(page.getByTestId('trade-row')).toHaveCount(document.trades.length);
    const firstTrade = page.getByTestId('trade-row').first();
    await expect(firstTrade).toContainText(document.trades[0].entryDate);
    await expect(firstTrade.getByTestId('trade-pnl')).toHaveText(/^-?[\d,]+\.\d{2}$/);
    expect(fenOf((await firstTrade.getByTestId('trade-pnl').textContent()) ?? '')).toBe(document.trades[0].pnlFen);
    // The K-line with the fills marked.
    await expect(page.getByTestId('trade-kline')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(page.getByTestId('trade-kline')).toHaveAttribute('data-markers', String(document.markers.length));

    // The first sell's stamp duty, by hand: its value × the rate of its date, rounded to the fen.
    await page.getByRole('tab', { name: /成交|Fills/ }).click();
    const sell = page.locator('[data-testid="fill-row"][data-side="sell"]').first();
    await expect(sell).toBeVisible();
    const date = (await sell.getAttribute('data-date'))!;
    const valueFen = fenOf((await sell.getByTestId('fill-value').textContent()) ?? '');
    const dutyFen = fenOf((await sell.getByTestId('fill-stamp-duty').textContent()) ?? '');
    // Values are whole fen, so value/1000 (0.1 %) and value/2000 (0.05 %) are exact before rounding.
    const expected = Math.round(valueFen / (date < STAMP_DUTY_HALVED ? 1000 : 2000));
    expect(dutyFen, `stamp duty of the sell on ${date} worth ${valueFen / 100} CNY`).toBe(expected);
    // And it is what the ledger holds.
    const firstSell = document.fills.find((f: { side: string }) => f.side === 'sell');
    expect(firstSell.date).toBe(date);
    expect(firstSell.stampDutyFen).toBe(dutyFen);
    // Buys pay none.
    await expect(page.locator('[data-testid="fill-row"][data-side="buy"]').first().getByTestId('fill-stamp-duty')).toHaveText('0.00');

    // Back on the Backtest page the run is listed as done, at 100 %.
    await page.locator('#app-nav').getByRole('link', { name: /回测|Backtest/ }).click();
    const card = page.getByTestId('backtest-progress').first();
    await expect(card).toHaveAttribute('data-state', 'succeeded');
    await expect(card.getByTestId('backtest-progress-bar')).toHaveAttribute('data-progress', '100');
    await expect(card.getByTestId('backtest-current-date')).toHaveText('2025-09-30');

    // A run that cannot load its bars (688001.SH has minute bars only) fails with its code's own
    // words and offers Retry.
    await page.getByTestId('backtest-symbols').click();
    await page.keyboard.type('688001');
    await page.getByRole('option', { name: /688001\.SH/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('backtest-submit').click();
    const failed = page.locator('[data-testid="backtest-progress"][data-state="failed"]');
    await expect(failed.getByTestId('backtest-error')).toHaveAttribute('data-code', '2003', { timeout: 30_000 });
    await expect(failed.getByTestId('backtest-error')).toContainText('没有该区间的K线数据');
    await expect(failed.getByTestId('backtest-retry')).toBeVisible();

    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
