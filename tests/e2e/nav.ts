/** Page steps the specs share. */
import { expect, type Page } from '@playwright/test';
import type { ServedApp } from './serve';

/**
 * From the home page (the Dashboard) to the Market page through the navigation, as a user goes:
 * it opens the last symbol viewed, 600000.SH on a fresh data directory.
 */
export async function openMarket(page: Page, symbol = '600000.SH'): Promise<void> {
  await page.locator('#app-nav').getByRole('link', { name: /行情|Market/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/market/${symbol.replace('.', '\\.')}$`));
}

/** The bundled sample is imported on a fresh data directory's first launch: waits until 600000.SH's bars are there. */
export async function sampleImported(page: Page, app: ServedApp): Promise<void> {
  const headers = { authorization: `Bearer ${app.token}` };
  await expect
    .poll(async () => (await page.request.get(`${app.origin}/api/market/kline?symbol=600000.SH&period=day&limit=1`, { headers })).status(), { timeout: 60_000 })
    .toBe(200);
}
