/** Page steps the specs share. */
import { expect, type Page } from '@playwright/test';

/**
 * From the home page (the Dashboard) to the Market page through the navigation, as a user goes:
 * it opens the last symbol viewed, 600000.SH on a fresh data directory.
 */
export async function openMarket(page: Page, symbol = '600000.SH'): Promise<void> {
  await page.locator('#app-nav').getByRole('link', { name: /行情|Market/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/market/${symbol.replace('.', '\\.')}$`));
}
