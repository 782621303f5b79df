/**
 * Market data UI against the real server, offline, each test on its own fresh data directory:
 *  (a) first launch: the bundled sample is imported in the background and the Market page shows
 *      600000.SH 浦发银行 with its real daily bars;
 *  (b) the TDX sample folder (../shared/data/tdx) imported through the Data Manager: per-file
 *      counts, the coverage table, the chart; importing again changes nothing (skipped, with the
 *      reason printed, where ../shared/data is absent);
 *  (c) the keyboard genie: typing `pfyh` anywhere opens it, Enter shows 浦发银行's chart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { sharedDataDir, sharedDataSkipReason, skipWithoutSharedData } from '../helpers/shared-data';
import { repoRoot, serve, tempDir } from './serve';
import { openMarket } from './nav';

/**
 * The last bar of a TDX .day file (`u32 YYYYMMDD, u32 open×100, high×100, low×100, close×100, …`
 * in 32-byte records) and the 60-bar average of the closes up to it.
 */
function lastDayBar(file: string): { date: string; close: string; ma60: string; bars: number } {
  const bytes = readFileSync(file);
  const bars = bytes.length / 32;
  const closeAt = (i: number) => bytes.readUInt32LE(i * 32 + 16) / 100;
  const ymd = String(bytes.readUInt32LE((bars - 1) * 32));
  let sum = 0;
  for (let i = bars - 60; i < bars; i++) sum += closeAt(i);
  return {
    date: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
    close: closeAt(bars - 1).toFixed(2),
    ma60: (sum / 60).toFixed(2),
    bars,
  };
}

/** The TDX files of ../shared/data/tdx and their bar counts (see ../shared/data/README.md). */
const TDX_FILES: Record<string, { symbol: string; period: string; bars: number }> = {
  'sh600000.day': { symbol: '600000.SH', period: 'day', bars: 6119 },
  'sz000001.day': { symbol: '000001.SZ', period: 'day', bars: 4995 },
  'sh000001.day': { symbol: '000001.SH', period: 'day', bars: 8455 },
  'sh688001.lc1': { symbol: '688001.SH', period: '1m', bars: 2880 },
  'sh688001.lc5': { symbol: '688001.SH', period: '5m', bars: 144 },
};

const chart = (page: Page) => page.getByTestId('market-chart');

/** The chart has drawn: ECharts reported `finished` for these bars, and the canvas holds candles in the up colour. */
async function expectChartDrawn(page: Page, bars: number): Promise<void> {
  await expect(chart(page)).toHaveAttribute('data-bars', String(bars), { timeout: 30_000 });
  await expect(chart(page)).toHaveAttribute('data-first-paint-ms', /^\d/);
  expect(Number(await chart(page).getAttribute('data-candles'))).toBeGreaterThan(10);
  // Runs in the page (the root tsconfig has no DOM lib, hence the structural type).
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  const upPixels = await chart(page)
    .locator('canvas')
    .first()
    .evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      // Red-up by default (#e53935).
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! < 90 && data[i + 2]! < 90) n++;
      return n;
    });
  expect(upPixels).toBeGreaterThan(100);
}

async function openDataManager(page: Page): Promise<void> {
  await page.locator('#app-nav').getByRole('link', { name: /数据|Data/ }).click();
  await expect(page.getByTestId('data-import')).toBeVisible();
}

function coverageRow(page: Page, symbol: string, period: string): Locator {
  return page.locator(`[data-testid="coverage-row"][data-symbol="${symbol}"][data-period="${period}"][data-adjust="none"]`);
}

function resultRow(page: Page, file: string): Locator {
  return page.getByTestId('data-import-result-row').filter({ hasText: file });
}

test('a fresh data directory opens on 600000.SH with its real daily bars, offline', async ({ page }) => {
  const data = tempDir();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  const app = await serve(data.dir);
  try {
    const expected = lastDayBar(path.join(repoRoot, 'resources/sample-data/tdx/vipdoc/sh/lday/sh600000.day')); // 2025-08-05, 13.75
    await page.goto(app.url);
    await openMarket(page);
    await expectChartDrawn(page, expected.bars);

    await expect(page.getByTestId('market-symbol')).toHaveText('600000.SH');
    await expect(page.getByTestId('market-name')).toHaveText('浦发银行');
    await expect(page.getByTestId('market-price')).toHaveText(expected.close);
    await expect(page.getByTestId('market-readout-time')).toHaveText(expected.date);
    await expect(page.getByTestId('market-readout-close')).toHaveText(expected.close);
    // The default moving averages, computed by the server (TA-Lib SMA, or TDX MA): the 60-bar one.
    await expect(page.getByTestId('market-overlays')).toContainText(new RegExp(`MA\\(60\\)\\s*${expected.ma60.replace('.', '\\.')}`));
    await expect(page.getByTestId('market-stale')).toBeVisible(); // offline: the cache's last close
    await expect(page.getByTestId('market-period-day')).toHaveClass(/is-active/);

    // Another period of the same instrument: weekly bars are derived from the daily ones.
    await page.getByTestId('market-period-week').click();
    await expect(chart(page)).not.toHaveAttribute('data-bars', String(expected.bars));
    await expect(page.getByTestId('market-readout-close')).toHaveText(expected.close);
    expect(consoleErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('imports the TDX sample folder through the Data Manager; a second import changes nothing', async ({ page }) => {
  test.skip(skipWithoutSharedData('importing ../shared/data/tdx through the Data Manager (market.spec.ts)'), sharedDataSkipReason);
  test.setTimeout(120_000);
  const data = tempDir();
  const app = await serve(data.dir, undefined, { importRoots: [sharedDataDir] });
  try {
    await page.goto(app.url);
    await openMarket(page);
    await expectChartDrawn(page, 6119); // the first-launch sample import is done
    await openDataManager(page);

    // The sample already holds these series: delete them, so the import below really imports.
    for (const { symbol, period } of Object.values(TDX_FILES)) {
      const row = coverageRow(page, symbol, period);
      await row.getByTestId('coverage-delete').click();
      await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
      await expect(row).toHaveCount(0);
    }

    await page.getByTestId('data-import-type-tdx').click();
    await page.getByTestId('data-import-path').fill(path.join(sharedDataDir, 'tdx'));
    await page.getByTestId('data-import-start').click();
    const progress = page.getByTestId('data-import-progress');
    await expect(progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('data-import-result-row')).toHaveCount(Object.keys(TDX_FILES).length);
    for (const [file, { symbol, bars }] of Object.entries(TDX_FILES)) {
      const row = resultRow(page, file);
      await expect(row).toHaveAttribute('data-status', 'imported');
      await expect(row).toHaveAttribute('data-bars', String(bars));
      await expect(row).toHaveAttribute('data-inserted', String(bars));
      await expect(row).toContainText(symbol);
      await expect(row.locator('[data-col="bars"]')).toHaveText(bars.toLocaleString('en-US'));
    }
    // sh000001.day keeps its 16 bars with prices out of order: a warning in the UI language, English on hover.
    const warning = resultRow(page, 'sh000001.day').getByTestId('data-import-warning-text');
    await expect(warning).toHaveText(/^第 98 行：\s*16 根 K 线价格顺序异常/);
    await expect(warning).toHaveAttribute('title', '16 bars kept with prices out of order (open/close outside low..high)');
    const total = Object.values(TDX_FILES).reduce((sum, f) => sum + f.bars, 0);
    await expect(page.getByTestId('data-import-summary')).toContainText(`新增 ${total.toLocaleString('en-US')} 根`);

    // The coverage table shows every series with its count.
    for (const { symbol, period, bars } of Object.values(TDX_FILES)) {
      await expect(coverageRow(page, symbol, period)).toHaveAttribute('data-bars', String(bars));
    }

    // Import again: every file unchanged, nothing inserted.
    await page.getByTestId('data-import-start').click();
    await expect(page.getByTestId('import-task-row')).toHaveCount(3); // sample + two imports
    await expect(progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('data-import-result-row')).toHaveCount(Object.keys(TDX_FILES).length);
    for (const [file, { bars }] of Object.entries(TDX_FILES)) {
      const row = resultRow(page, file);
      await expect(row).toHaveAttribute('data-status', 'unchanged');
      await expect(row).toHaveAttribute('data-bars', String(bars));
      await expect(row).toHaveAttribute('data-inserted', '0');
    }
    await expect(page.getByTestId('data-import-summary')).toContainText('新增 0 根');
    await expect(page.getByTestId('import-task-row').first()).toContainText('5/5'); // newest first: files done/total

    // And the imported bars are on the chart: 平安银行 from the coverage table.
    await coverageRow(page, '000001.SZ', 'day').getByRole('button', { name: /在图表中打开/ }).click();
    await expect(page).toHaveURL(/#\/market\/000001\.SZ$/);
    await expectChartDrawn(page, 4995);
    await expect(page.getByTestId('market-name')).toHaveText('平安银行');
    const last = lastDayBar(path.join(sharedDataDir, 'tdx/vipdoc/sz/lday/sz000001.day'));
    await expect(page.getByTestId('market-readout-time')).toHaveText(last.date);
    await expect(page.getByTestId('market-readout-close')).toHaveText(last.close);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('the keyboard genie: typing pfyh anywhere, then Enter, shows 浦发银行', async ({ page }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  try {
    await page.goto(app.url);
    await openMarket(page);
    await expectChartDrawn(page, 6119);
    // Start from another instrument.
    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/market/000001.SZ'));
    await expectChartDrawn(page, 4995);
    await expect(page.getByTestId('market-name')).toHaveText('平安银行');

    await page.locator('body').click({ position: { x: 5, y: 860 } }); // focus outside any field (below the navigation)
    await page.keyboard.type('pfyh');
    const input = page.getByTestId('genie-input');
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('pfyh');
    const option = page.getByTestId('genie-option');
    await expect(option).toHaveCount(1);
    await expect(option).toContainText('600000.SH');
    await expect(option).toContainText('浦发银行');
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');

    await expect(input).toHaveCount(0);
    await expect(page).toHaveURL(/#\/market\/600000\.SH$/);
    await expectChartDrawn(page, 6119);
    await expect(page.getByTestId('market-name')).toHaveText('浦发银行');

    // Ctrl+K opens it empty; Esc closes it.
    await page.keyboard.press('Control+k');
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(input).toHaveCount(0);
  } finally {
    await app.stop();
    data.remove();
  }
});

test('watchlists: add the symbol on screen, reorder from the keyboard, open, remove; the server keeps the order', async ({ page }) => {
  const data = tempDir();
  const app = await serve(data.dir);
  const rows = page.getByTestId('watchlist-row');
  const listed = () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-symbol')));
  try {
    await page.goto(app.url);
    await openMarket(page);
    await expectChartDrawn(page, 6119);
    await expect(page.getByTestId('watchlist')).toContainText('还没有自选列表');
    await page.getByTestId('watchlist-add').click(); // no list yet: creates one holding 600000.SH
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('浦发银行');
    await expect(rows.first()).toContainText(lastDayBar(path.join(repoRoot, 'resources/sample-data/tdx/vipdoc/sh/lday/sh600000.day')).close);

    // Another instrument through the genie, added too.
    await page.locator('body').click({ position: { x: 5, y: 860 } });
    await page.keyboard.type('000001.SZ');
    await expect(page.getByTestId('genie-option').first()).toContainText('000001.SZ');
    await page.keyboard.press('Enter');
    await expectChartDrawn(page, 4995);
    await page.getByTestId('watchlist-add').click();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('平安银行');
    await expect(rows.nth(1)).toContainText(lastDayBar(path.join(repoRoot, 'resources/sample-data/tdx/vipdoc/sz/lday/sz000001.day')).close);
    expect(await listed()).toEqual(['600000.SH', '000001.SZ']);

    // Reorder from the keyboard: Alt+↑ on the focused row.
    await rows.nth(1).locator('.row-main').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(listed).toEqual(['000001.SZ', '600000.SH']);
    await expect(rows.first().locator('.row-main')).toBeFocused();
    const saved = await page.request.get(`${app.origin}/api/watchlists`, { headers: { authorization: `Bearer ${app.token}` } });
    expect((await saved.json()).data[0].symbols).toEqual(['000001.SZ', '600000.SH']);

    // A row opens its chart; the remove button takes it out.
    await rows.nth(1).locator('.row-main').click();
    await expect(page).toHaveURL(/#\/market\/600000\.SH$/);
    await expectChartDrawn(page, 6119);
    await rows.first().hover();
    await rows.first().getByTestId('watchlist-remove').click();
    await expect.poll(listed).toEqual(['600000.SH']);
  } finally {
    await app.stop();
    data.remove();
  }
});
