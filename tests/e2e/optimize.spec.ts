/**
 * Parameter optimization end to end on a fresh data directory (the bundled sample, with 600000.SH
 * daily bars 2025-01..2025-08, is imported at first launch): open Optimize from the navigation,
 * range dual MA's fast 3–6 and slow 10–20 step 5 (the form's estimate says 12 trials), submit with
 * Enter, watch the run's page fill its leaderboard and complete, check the leaderboard, the
 * heatmap and the overfitting panel against the API, then open the best trial as a normal backtest
 * and see its metrics. Nothing here depends on how fast the run is.
 */
import { expect, test } from '@playwright/test';
import { sampleImported } from './nav';
import { serve, tempDir } from './serve';

test('optimize: dual MA on 600000.SH over a small grid, live leaderboard, heatmap, overfitting, the best trial as a backtest', async ({ page }) => {
  test.setTimeout(90_000);
  const data = tempDir();
  const app = await serve(data.dir);
  const headers = { authorization: `Bearer ${app.token}` };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    await sampleImported(page, app);
    await page.goto(app.url);
    await expect(page).toHaveURL(/#\/dashboard$/);

    // Optimize is in the navigation right after Backtest: Alt+6.
    await expect(page.locator('#app-nav').getByRole('link', { name: /参数优化/ })).toContainText('Alt+6');
    await page.keyboard.press('Alt+6');
    await expect(page).toHaveURL(/#\/optimize$/);
    await expect(page.getByTestId('optimize-form')).toBeVisible();

    await page.getByTestId('backtest-symbols').click();
    await page.keyboard.type('600000');
    await page.getByRole('option', { name: /600000\.SH/ }).click();
    await page.keyboard.press('Escape');
    for (const [id, value] of [
      ['#bt-start', '2025-01-01'],
      ['#bt-end', '2025-08-31'],
    ] as const) {
      await page.locator(id).fill(value);
      await page.locator(id).press('Tab');
    }

    // Fast 3–6 × slow 10–20 step 5: 4 × 3 = 12 points, all with fast < slow.
    await page.getByTestId('mode-fast-range').click();
    await page.getByTestId('mode-slow-range').click();
    for (const [id, value] of [
      ['min-fast', '3'],
      ['max-fast', '6'],
      ['min-slow', '10'],
      ['max-slow', '20'],
      ['step-slow', '5'],
    ] as const) {
      await page.getByTestId(id).locator('input').fill(value);
      await page.getByTestId(id).locator('input').press('Tab');
    }
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', '12');
    await expect(page.getByTestId('optimize-constraint')).toHaveAttribute('data-ok', 'true');

    // Enter in a field submits; the run's page opens and follows it live.
    await page.getByTestId('optimize-top-n').locator('input').fill('10');
    await page.getByTestId('optimize-top-n').locator('input').press('Enter');
    await expect(page).toHaveURL(/#\/optimize\/[\w-]+$/);
    const result = page.getByTestId('optimize-result');
    await expect(result).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    const id = (await result.getAttribute('data-id'))!;

    const optimization = (await (await page.request.get(`${app.origin}/api/optimize/${id}`, { headers })).json()).data;
    expect(optimization.meta).toMatchObject({ trialsTotal: 12, trialsDone: 12, state: 'succeeded' });
    const rows = page.getByTestId('optimize-leaderboard').getByTestId('leaderboard-row');
    await expect(rows).toHaveCount(10);
    const best = optimization.leaderboard[0];
    await expect(rows.first()).toHaveAttribute('data-index', String(best.index));
    await expect(rows.first().getByTestId('leaderboard-objective')).toHaveText(best.objective.toFixed(3));
    await expect(rows.first()).toContainText(`fast=${best.params.fast}, slow=${best.params.slow}`);

    // The heatmap of fast × slow, and the overfitting checks with their readings.
    await expect(page.getByTestId('optimize-heatmap').getByTestId('heatmap-chart').locator('canvas').first()).toBeVisible();
    const overfitting = page.getByTestId('optimize-overfitting');
    await expect(overfitting.getByTestId('overfitting-reading')).toHaveCount(5);
    if (optimization.overfitting?.pbo) {
      const pbo = overfitting.locator('[data-reading="pbo"]');
      await expect(pbo).toContainText(`${(optimization.overfitting.pbo.pbo * 100).toFixed(1)}%`);
      await expect(pbo).toContainText('样本内最优的参数在样本外跌到中位数或以下的概率');
    }

    // All 12 trials in the paged table.
    await expect(page.getByTestId('optimize-trials').getByTestId('leaderboard-row')).toHaveCount(12);

    // The best trial as a normal backtest: its result page with its metrics.
    await page.getByTestId('optimize-leaderboard').getByTestId(`open-trial-${best.index}`).click();
    await expect(page).toHaveURL(/#\/backtest\/results\/[\w-]+$/, { timeout: 30_000 });
    await expect(page.getByTestId('metric-sharpe')).toHaveText(best.headline.sharpe.toFixed(2));
    await expect(page.getByTestId('metric-tradeCount')).toHaveText(String(best.headline.tradeCount));
    const resultId = page.url().split('/').pop()!;
    const stored = (await (await page.request.get(`${app.origin}/api/backtest/results/${resultId}`, { headers })).json()).data;
    expect(stored.meta.digest).toBe(best.digest);

    // History: newest first, with the run.
    await page.goto(`${app.origin}/#/optimize/history`);
    await expect(page.getByTestId('optimize-history-row').first()).toHaveAttribute('data-id', id);
    expect(pageErrors).toEqual([]);
  } finally {
    await app.stop();
    data.remove();
  }
});
