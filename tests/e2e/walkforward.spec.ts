/**
 * Walk-forward end to end on a fresh data directory (the bundled sample: 600000.SH daily bars
 * 2025-01..2025-08): a small dual-MA optimization made through the API, its page's Walk-forward
 * button opening the form pre-filled with its search and the walk-forward on, IS 60 / OOS 30
 * trading days rolling, submitted; the run's page shows the windows (as the API answers them), the
 * stitched out-of-sample equity and the efficiency; a heatmap cell opens its best trial.
 */
import { expect, test } from '@playwright/test';
import { sampleImported } from './nav';
import { serve, tempDir } from './serve';

test('walk-forward: from an optimization to its windows, stitched OOS equity and efficiency', async ({ page }) => {
  test.setTimeout(90_000);
  const data = tempDir();
  const app = await serve(data.dir);
  const headers = { authorization: `Bearer ${app.token}` };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    await sampleImported(page, app);
    const run = await page.request.post(`${app.origin}/api/optimize/run`, {
      headers,
      data: { strategy: 'dual-ma', symbols: ['600000.SH'], start: '2025-01-01', end: '2025-08-31', ranges: { fast: { min: 3, max: 6 }, slow: { min: 10, max: 20, step: 5 } } },
    });
    expect(run.status()).toBe(202);
    const plainId = (await run.json()).data.summary.optimizationId as string;

    await page.goto(app.url);
    await expect(page).toHaveURL(/#\/dashboard$/);
    await page.goto(`${app.origin}/#/optimize/${plainId}`);
    await expect(page.getByTestId('optimize-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });

    // Walk-forward: the form with this search, the walk-forward on (250/60 rolling by default).
    await page.getByTestId('optimize-walkforward').click();
    await expect(page).toHaveURL(/#\/optimize$/);
    await expect(page.getByTestId('optimize-walkforward').locator('input')).toBeChecked();
    await expect(page.getByTestId('optimize-walkforward-is').locator('input')).toHaveValue('250');
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', '12');
    for (const [id, value] of [
      ['optimize-walkforward-is', '60'],
      ['optimize-walkforward-oos', '30'],
    ] as const) {
      await page.getByTestId(id).locator('input').fill(value);
      await page.getByTestId(id).locator('input').press('Tab');
    }
    await page.getByTestId('optimize-submit').click();
    await expect(page).toHaveURL(/#\/optimize\/[\w-]+$/);
    const result = page.getByTestId('optimize-result');
    await expect(result).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    const id = (await result.getAttribute('data-id'))!;
    expect(id).not.toBe(plainId);

    const optimization = (await (await page.request.get(`${app.origin}/api/optimize/${id}`, { headers })).json()).data;
    const wf = optimization.walkForward;
    expect(wf).toMatchObject({ mode: 'rolling', inSampleDays: 60, outOfSampleDays: 30 });
    expect(wf.windows.length).toBeGreaterThanOrEqual(3);
    expect(wf.windows.every((w: { outOfSampleResult: unknown }) => w.outOfSampleResult !== null)).toBe(true);
    // The windows table as the API answers it, the stitched equity drawn, the efficiency read.
    const rows = page.getByTestId('walkforward-window');
    await expect(rows).toHaveCount(wf.windows.length);
    const first = wf.windows[0];
    await expect(rows.first()).toContainText(`${first.outOfSample.start} – ${first.outOfSample.end}`);
    await expect(rows.first()).toContainText(`fast=${first.winner.params.fast}, slow=${first.winner.params.slow}`);
    await expect(page.getByTestId('walkforward-equity').locator('canvas').first()).toBeVisible();
    expect(wf.equity.dates[0]).toBe(first.outOfSample.start);
    await expect(page.getByTestId('walkforward-wfe')).toHaveAttribute('data-level', wf.wfe === null ? 'na' : wf.wfe >= 0.5 ? 'good' : wf.wfe > 0 ? 'fair' : 'poor');
    // Its overfitting panel is the optimization's (PBO over the whole-range trials).
    await expect(page.getByTestId('optimize-overfitting').getByTestId('overfitting-reading')).toHaveCount(5);

    // A heatmap cell opens its best trial as a backtest: the one the heatmap names.
    const heatmap = (await (await page.request.get(`${app.origin}/api/optimize/${id}/heatmap?x=fast&y=slow`, { headers })).json()).data;
    const chart = page.getByTestId('optimize-heatmap').getByTestId('heatmap-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    const box = (await chart.boundingBox())!;
    // The grid: left 56, right 88, top 12, bottom 44 (charts.ts); click the centre of cell (0, 0).
    const cellW = (box.width - 56 - 88) / heatmap.xValues.length;
    const cellH = (box.height - 12 - 44) / heatmap.yValues.length;
    const target = heatmap.trials[0][0] as number;
    expect(target).not.toBeNull();
    await page.mouse.click(box.x + 56 + cellW / 2, box.y + box.height - 44 - cellH / 2);
    await expect(page).toHaveURL(/#\/backtest\/results\/[\w-]+$/, { timeout: 30_000 });
    const trial = (await (await page.request.get(`${app.origin}/api/optimize/${id}/trials?sort=index&pageSize=100`, { headers })).json()).data.items.find((t: { index: number }) => t.index === target);
    const stored = (await (await page.request.get(`${app.origin}/api/backtest/results/${page.url().split('/').pop()}`, { headers })).json()).data;
    expect(stored.meta.digest).toBe(trial.digest);
    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
