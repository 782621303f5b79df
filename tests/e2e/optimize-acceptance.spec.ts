/**
 * The optimization issue's acceptance, tried as a new user would, offline, on a fresh data directory:
 *
 * 1. 600519.SH daily bars (front-adjusted, ../shared/data/csv/ashare-daily-qfq/600519.csv) imported
 *    through the Data page's CSV wizard: path, preview, the suggested mapping, volume in lots, 前复权.
 * 2. Optimize (Alt+6): dual MA on 600519.SH over the CSV's whole range, fast 3–20 × slow 10–60 step 1
 *    with the strategy's rule fast < slow: the estimate says 852 trials (counted here on its own).
 *    Enter submits.
 * 3. The run's page fills its leaderboard live (or at least its trial count advances), completes;
 *    the leaderboard's top entry is the API's (the optimization and its trials), every heatmap cell
 *    is the best objective over the trials of its pair, the best cell's tooltip shows that value
 *    and a click on it opens its trial as a normal backtest (same digest).
 * 4. A walk-forward of the best setting: the result page's Walk-forward button, the grid narrowed to
 *    fast best±2 × slow best±5; its windows, stitched out-of-sample equity, WFE and the overfitting
 *    panel's PBO as the API answers them.
 * 5. Distributed: a real redis-server and two real `npm run worker` processes (out/main/worker.js);
 *    the System page's distributed settings pointed at the Redis, its connection test listing 2
 *    workers; the same 852-trial grid again with "where it runs" = Redis workers: the same
 *    leaderboard and overfitting statistics as the local run. Skipped with a printed reason
 *    without redis-server (a failure when MYSTOCKS_REQUIRE_REDIS is set; tests/helpers/redis.ts).
 *
 * Nothing here depends on how fast anything runs.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { sharedDataDir, sharedDataPath, sharedDataSkipReason, skipWithoutSharedData } from '../helpers/shared-data';
import { skipWithoutRedis, startRedis, type RedisServer } from '../helpers/redis';
import { sampleImported } from './nav';
import { serve, startWorker, tempDir, type WorkerProcess } from './serve';

const noData = skipWithoutSharedData('tests/e2e/optimize-acceptance.spec.ts (imports 600519.SH from csv/ashare-daily-qfq)');
const CSV = sharedDataPath('csv', 'ashare-daily-qfq', '600519.csv');

interface Trial {
  index: number;
  params: Record<string, number>;
  objective: number | null;
  eligible: boolean;
  digest: string;
  headline: { sharpe: number | null; tradeCount: number };
}
interface Heatmap {
  xValues: number[];
  yValues: number[];
  values: (number | null)[][];
  trials: (number | null)[][];
}

/** As the app formats a percentage (features/backtest/format.ts formatPct, unsigned): `72.6%`, never `-0.0%`. */
function pct(value: number, digits: number): string {
  const text = (value * 100).toFixed(digits);
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** The grid's points that keep fast < slow, counted here rather than trusted from the form. */
function gridPairs(fast: [number, number], slow: [number, number]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let f = fast[0]; f <= fast[1]; f++) for (let s = slow[0]; s <= slow[1]; s++) if (f < s) pairs.push([f, s]);
  return pairs;
}

async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.fill(String(value));
  await input.press('Tab');
  await expect(input).toHaveValue(String(value));
}

/** Picks an option of an Element Plus select. */
async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/**
 * Records, in the page, what the run's page shows while the run is queued or running: the live
 * leaderboard's rows and the progress card's trial count, at every change (however brief).
 */
async function recordLive(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page (the root tsconfig has no DOM lib, hence the structural types).
    type El = { getAttribute(name: string): string | null; querySelectorAll(selector: string): { length: number } };
    type Win = {
      __live: { state: string; rows: number; done: number }[];
      document: { body: unknown; querySelector(selector: string): El | null };
      MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
    };
    const w = globalThis as unknown as Win;
    w.__live = [];
    const read = () => {
      const result = w.document.querySelector('[data-testid="optimize-result"]');
      const state = result?.getAttribute('data-state') ?? '';
      if (state !== 'queued' && state !== 'running') return;
      const rows = w.document.querySelector('[data-testid="optimize-leaderboard"]')?.querySelectorAll('[data-testid="leaderboard-row"]').length ?? 0;
      const done = Number(w.document.querySelector('[data-testid="optimize-progress"] [data-testid="optimize-trials"]')?.getAttribute('data-done') ?? -1);
      w.__live.push({ state, rows, done });
    };
    new w.MutationObserver(read).observe(w.document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

test('acceptance: 600519.SH imported from CSV, an 852-trial dual-MA grid, heatmap, a walk-forward of the best, the same grid on Redis workers', async ({ page }) => {
  test.skip(noData, sharedDataSkipReason);
  test.setTimeout(240_000);
  const data = tempDir();
  const app = await serve(data.dir, undefined, { importRoots: [sharedDataDir] });
  const headers = { authorization: `Bearer ${app.token}` };
  const get = async <T>(url: string): Promise<T> => {
    const res = await page.request.get(`${app.origin}${url}`, { headers });
    expect(res.ok(), `GET ${url}: ${res.status()}`).toBe(true);
    return ((await res.json()) as { data: T }).data;
  };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  let redis: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  try {
    // The CSV's first and last dates (rows are oldest first, after the header): the range to optimize.
    const lines = readFileSync(CSV, 'utf8').trim().split('\n');
    const firstDate = lines[1]!.split(',')[0]!;
    const lastDate = lines.at(-1)!.split(',')[0]!;
    expect(lines[0]).toBe('date,open,close,high,low,volume');

    // The bundled sample (with the default benchmark, 000001.SH) is imported on first launch.
    await sampleImported(page, app);
    await page.goto(app.url);
    await expect(page).toHaveURL(/#\/dashboard$/);

    // ---- 1. The Data page's CSV import: path, preview, the suggested mapping, lots, 前复权. ----
    await page.keyboard.press('Alt+7');
    await expect(page).toHaveURL(/#\/data$/);
    await page.getByTestId('data-import-type-csv').click();
    await page.getByTestId('data-import-path').fill(CSV);
    await page.getByTestId('data-import-path').press('Enter'); // Enter previews a CSV
    const settings = page.getByTestId('data-csv-settings');
    await expect(settings).toBeVisible();
    await expect(page.getByTestId('data-csv-preview')).toContainText(lines[1]!.split(',')[2]!);
    // date,open,close,high,low,volume: the server's suggestion reads the header (close before high).
    for (const [field, column] of [
      ['time', 1],
      ['open', 2],
      ['close', 3],
      ['high', 4],
      ['low', 5],
      ['volume', 6],
    ] as const) {
      await expect(page.getByTestId(`data-csv-map-${field}`)).toContainText(`列 ${column}`);
    }
    await expect(page.getByTestId('data-csv-symbol')).toHaveValue('600519.SH'); // guessed from the file name
    await page.getByTestId('data-csv-name').fill('贵州茅台');
    await choose(page, page.getByTestId('data-csv-volume-unit'), '手（100 股）');
    await choose(page, settings.locator('.field').filter({ has: page.getByText('复权', { exact: true }) }).locator('.el-select'), '前复权');
    await page.getByTestId('data-import-start').click();
    await expect(page.getByTestId('data-import-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    const coverage = await get<{ symbol: string; period: string; adjust: string; first: string; last: string; bars: number }[]>('/api/data/coverage?symbol=600519.SH');
    expect(coverage.find((c) => c.symbol === '600519.SH' && c.period === 'day')).toMatchObject({ adjust: 'qfq', bars: lines.length - 1, first: expect.stringContaining(firstDate), last: expect.stringContaining(lastDate) });

    // ---- 2. Optimize: dual MA, fast 3–20 × slow 10–60 step 1, fast < slow: 852 trials. ----
    const pairs = gridPairs([3, 20], [10, 60]);
    expect(pairs).toHaveLength(852); // 7 × 51 (fast 3–9) + Σ(60 − f) for f = 10…20 (495)
    await expect(page.locator('#app-nav').getByRole('link', { name: /参数优化/ })).toContainText('Alt+6');
    await page.keyboard.press('Alt+6');
    await expect(page).toHaveURL(/#\/optimize$/);
    await expect(page.getByTestId('optimize-form')).toBeVisible();
    await expect(page.locator('[data-strategy="dual-ma"]')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('backtest-symbols').click();
    await page.keyboard.type('600519');
    await page.getByRole('option', { name: /600519\.SH/ }).click();
    await page.keyboard.press('Escape');
    for (const [id, value] of [
      ['#bt-start', firstDate],
      ['#bt-end', lastDate],
    ] as const) {
      await page.locator(id).fill(value);
      await page.locator(id).press('Tab');
      await expect(page.locator(id)).toHaveValue(value);
    }
    await page.getByTestId('mode-fast-range').click();
    await page.getByTestId('mode-slow-range').click();
    for (const [id, value] of [
      ['min-fast', 3],
      ['max-fast', 20],
      ['step-fast', 1],
      ['min-slow', 10],
      ['max-slow', 60],
      ['step-slow', 1],
    ] as const) {
      await setNumber(page, id, value);
    }
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', String(pairs.length));
    await expect(page.getByTestId('optimize-estimate')).toContainText('852');
    await expect(page.getByTestId('optimize-constraint')).toHaveAttribute('data-ok', 'true');

    // ---- 3. Enter submits; the leaderboard fills live; then the results against the API. ----
    await recordLive(page);
    await page.getByTestId('step-slow').locator('input').press('Enter');
    await expect(page).toHaveURL(/#\/optimize\/[\w-]+$/);
    const result = page.getByTestId('optimize-result');
    await expect(result).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
    const id = (await result.getAttribute('data-id'))!;
    const live = await page.evaluate(() => (globalThis as unknown as { __live: { state: string; rows: number; done: number }[] }).__live);
    const dones = [...new Set(live.map((s) => s.done).filter((d) => d >= 0))];
    const filledLive = live.some((s) => s.state === 'running' && s.rows > 0);
    expect(filledLive || dones.length >= 2, `live view: ${JSON.stringify(live.slice(-5))}`).toBe(true);
    expect(dones.every((d, i) => i === 0 || d >= dones[i - 1]!), `trial counts ${dones.join(', ')}`).toBe(true);

    type Optimization = {
      meta: { trialsTotal: number; trialsDone: number; state: string };
      config: { adjust: string; start: string; end: string; symbols: string[]; executor?: string; ranges: Record<string, unknown> };
      leaderboard: Trial[];
      overfitting: { psr: unknown; pbo: { pbo: number } | null } | null;
      walkForward: null | {
        mode: string;
        inSampleDays: number;
        outOfSampleDays: number;
        wfe: number | null;
        windows: { outOfSample: { start: string; end: string }; winner: { params: Record<string, number> } | null; outOfSampleResult: unknown }[];
        equity: { dates: string[]; values: number[] };
      };
    };
    const optimization = await get<Optimization>(`/api/optimize/${id}`);
    expect(optimization.meta).toMatchObject({ trialsTotal: 852, trialsDone: 852, state: 'succeeded' });
    expect(optimization.config).toMatchObject({ adjust: 'qfq', start: firstDate, end: lastDate, symbols: ['600519.SH'] });
    const trials = (await get<{ items: Trial[] }>(`/api/optimize/${id}/trials?sort=index&pageSize=1000`)).items;
    expect(trials.map((t) => [t.params.fast, t.params.slow])).toEqual(pairs); // the grid in index order
    const best = optimization.leaderboard[0]!;
    const byObjective = (await get<{ items: Trial[] }>(`/api/optimize/${id}/trials?sort=objective&pageSize=1`)).items;
    expect(byObjective[0]!.index).toBe(best.index);
    const eligible = trials.filter((t) => t.eligible && t.objective !== null);
    expect(best.objective).toBe(Math.max(...eligible.map((t) => t.objective!)));

    const rows = page.getByTestId('optimize-leaderboard').getByTestId('leaderboard-row');
    await expect(rows).toHaveCount(optimization.leaderboard.length);
    await expect(rows.first()).toHaveAttribute('data-index', String(best.index));
    await expect(rows.first().getByTestId('leaderboard-objective')).toHaveText(best.objective!.toFixed(3));
    await expect(rows.first()).toContainText(`fast=${best.params.fast}, slow=${best.params.slow}`);

    // The heatmap of fast × slow: each cell the best objective over the trials of its pair.
    const heatmap = await get<Heatmap>(`/api/optimize/${id}/heatmap?x=fast&y=slow`);
    for (const [yi, slow] of heatmap.yValues.entries()) {
      for (const [xi, fast] of heatmap.xValues.entries()) {
        const of = eligible.filter((t) => t.params.fast === fast && t.params.slow === slow);
        expect(heatmap.values[yi]![xi], `cell fast=${fast} slow=${slow}`).toBe(of.length ? Math.max(...of.map((t) => t.objective!)) : null);
      }
    }
    const xi = heatmap.xValues.indexOf(best.params.fast!);
    const yi = heatmap.yValues.indexOf(best.params.slow!);
    expect(heatmap.trials[yi]![xi]).toBe(best.index);
    const chart = page.getByTestId('optimize-heatmap').getByTestId('heatmap-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    // The grid: left 56, right 88, top 12, bottom 44 (charts.ts); y values run upwards.
    const cellW = (box.width - 56 - 88) / heatmap.xValues.length;
    const cellH = (box.height - 12 - 44) / heatmap.yValues.length;
    const cell = { x: box.x + 56 + cellW * (xi + 0.5), y: box.y + box.height - 44 - cellH * (yi + 0.5) };
    await page.mouse.move(cell.x, cell.y);
    await expect(chart).toContainText(`fast = ${best.params.fast}, slow = ${best.params.slow}`);
    await expect(chart).toContainText(best.objective!.toFixed(3));

    // The overfitting panel: PBO as the API's, in [0, 1].
    const pbo = optimization.overfitting!.pbo!.pbo;
    expect(pbo).toBeGreaterThanOrEqual(0);
    expect(pbo).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('optimize-overfitting').locator('[data-reading="pbo"] .value')).toHaveText(pct(pbo, 1));

    // The best cell opens its trial as a normal backtest.
    await page.mouse.click(cell.x, cell.y);
    await expect(page).toHaveURL(/#\/backtest\/results\/[\w-]+$/, { timeout: 60_000 });
    await expect(page.getByTestId('metric-sharpe')).toHaveText(best.headline.sharpe!.toFixed(2));
    await expect(page.getByTestId('metric-tradeCount')).toHaveText(String(best.headline.tradeCount));
    const stored = await get<{ meta: { digest: string } }>(`/api/backtest/results/${page.url().split('/').pop()}`);
    expect(stored.meta.digest).toBe(best.digest);

    // ---- 4. A walk-forward of the best setting: fast best±2 × slow best±5 (inside the grid). ----
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`#/optimize/${id}$`));
    await expect(result).toHaveAttribute('data-state', 'succeeded');
    await page.getByTestId('optimize-walkforward').click();
    await expect(page).toHaveURL(/#\/optimize$/);
    await expect(page.getByTestId('optimize-walkforward').locator('input')).toBeChecked();
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', '852');
    const fastRange: [number, number] = [Math.max(3, best.params.fast! - 2), Math.min(20, best.params.fast! + 2)];
    const slowRange: [number, number] = [Math.max(10, best.params.slow! - 5), Math.min(60, best.params.slow! + 5)];
    for (const [testId, value] of [
      ['min-fast', fastRange[0]],
      ['max-fast', fastRange[1]],
      ['min-slow', slowRange[0]],
      ['max-slow', slowRange[1]],
    ] as const) {
      await setNumber(page, testId, value);
    }
    const narrow = gridPairs(fastRange, slowRange);
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', String(narrow.length));
    const isDays = Number(await page.getByTestId('optimize-walkforward-is').locator('input').inputValue());
    const oosDays = Number(await page.getByTestId('optimize-walkforward-oos').locator('input').inputValue());
    await page.getByTestId('optimize-walkforward-oos').locator('input').press('Enter');
    await expect(page).toHaveURL(/#\/optimize\/[\w-]+$/);
    await expect(result).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
    const wfId = (await result.getAttribute('data-id'))!;
    expect(wfId).not.toBe(id);
    const walk = await get<Optimization>(`/api/optimize/${wfId}`);
    expect(walk.config.ranges).toEqual({ fast: { min: fastRange[0], max: fastRange[1], step: 1 }, slow: { min: slowRange[0], max: slowRange[1], step: 1 } });
    const wf = walk.walkForward!;
    expect(wf).toMatchObject({ mode: 'rolling', inSampleDays: isDays, outOfSampleDays: oosDays });
    expect(wf.windows.length).toBeGreaterThanOrEqual(2);
    expect(wf.windows.every((w) => w.outOfSampleResult !== null && w.winner !== null)).toBe(true);
    // The windows as the API answers them, the stitched OOS equity from the first OOS day, the WFE.
    const windows = page.getByTestId('walkforward-window');
    await expect(windows).toHaveCount(wf.windows.length);
    for (const [i, w] of wf.windows.entries()) {
      await expect(windows.nth(i)).toContainText(`${w.outOfSample.start} – ${w.outOfSample.end}`);
      await expect(windows.nth(i)).toContainText(`fast=${w.winner!.params.fast}, slow=${w.winner!.params.slow}`);
    }
    await expect(page.getByTestId('walkforward-equity').locator('canvas').first()).toBeVisible();
    expect(wf.equity.dates[0]).toBe(wf.windows[0]!.outOfSample.start);
    expect(wf.equity.values).toHaveLength(wf.equity.dates.length);
    const wfe = page.getByTestId('walkforward-wfe');
    await expect(wfe).toHaveAttribute('data-level', wf.wfe === null ? 'na' : wf.wfe >= 0.5 ? 'good' : wf.wfe > 0 ? 'fair' : 'poor');
    await expect(wfe.locator('.value')).toHaveText(wf.wfe === null ? '—' : pct(wf.wfe, 0));
    const wfPbo = walk.overfitting!.pbo!.pbo;
    expect(wfPbo).toBeGreaterThanOrEqual(0);
    expect(wfPbo).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('optimize-overfitting').locator('[data-reading="pbo"] .value')).toHaveText(pct(wfPbo, 1));

    // ---- 5. The same grid on two Redis workers: the same leaderboard and statistics. ----
    if (skipWithoutRedis('the distributed part of tests/e2e/optimize-acceptance.spec.ts')) {
      expect(pageErrors).toEqual([]);
      return;
    }
    redis = await startRedis();
    for (const name of ['e2e-w1', 'e2e-w2']) workers.push(startWorker(redis.url, ['--name', name, '--concurrency', '1']));
    await Promise.all(workers.map((w) => w.ready));

    await page.keyboard.press('Alt+8');
    await expect(page).toHaveURL(/#\/system$/);
    const card = page.getByTestId('distributed-card');
    await card.getByTestId('distributed-url').fill(redis.url);
    await card.getByTestId('distributed-test').click();
    await expect(card.getByTestId('distributed-result')).toContainText('2 个工作进程');
    await card.getByTestId('distributed-enabled').click();
    await card.getByTestId('distributed-save').click();
    await expect(card.getByTestId('distributed-save')).toBeDisabled(); // saved: nothing left to save
    const saved = await get<{ distributed?: { enabled: boolean; redisUrl?: string } }>('/api/system/settings');
    expect(saved.distributed).toEqual({ enabled: true, redisUrl: redis.url });

    // The local run's page → "new optimization with these settings", then Redis workers.
    await page.goto(`${app.origin}/#/optimize/${id}`);
    await expect(result).toHaveAttribute('data-state', 'succeeded');
    await page.getByRole('button', { name: '以此设置新建优化' }).click();
    await expect(page).toHaveURL(/#\/optimize$/);
    await expect(page.getByTestId('optimize-estimate')).toHaveAttribute('data-trials', '852');
    await expect(page.getByTestId('optimize-walkforward').locator('input')).not.toBeChecked();
    await expect(page.getByTestId('optimize-executor-hint')).toContainText(redis.url);
    await page.getByTestId('optimize-executor').getByText('Redis 工作进程').click();
    await page.getByTestId('optimize-top-n').locator('input').press('Enter');
    await expect(page).toHaveURL(/#\/optimize\/[\w-]+$/);
    await expect(result).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
    const remoteId = (await result.getAttribute('data-id'))!;
    expect(remoteId).not.toBe(id);
    const remote = await get<Optimization>(`/api/optimize/${remoteId}`);
    expect(remote.config.executor).toBe('redis');
    expect(remote.meta).toMatchObject({ trialsTotal: 852, trialsDone: 852, state: 'succeeded' });
    const board = (o: Optimization) => o.leaderboard.map((t) => ({ index: t.index, params: t.params, objective: t.objective, digest: t.digest }));
    expect(board(remote)).toEqual(board(optimization));
    expect(remote.overfitting).toEqual(optimization.overfitting);
    const remoteTrials = (await get<{ items: Trial[] }>(`/api/optimize/${remoteId}/trials?sort=index&pageSize=1000`)).items;
    expect(remoteTrials.map((t) => t.digest)).toEqual(trials.map((t) => t.digest));
    // The workers did the trials: each fetched the run's bars.
    expect(workers.some((w) => w.output().includes('dataset fetched')), workers.map((w) => w.output()).join('\n')).toBe(true);
    await expect(page.getByTestId('optimize-leaderboard').getByTestId('leaderboard-row').first()).toHaveAttribute('data-index', String(best.index));

    expect(pageErrors).toEqual([]);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
    await app.stop();
    data.remove();
  }
});
