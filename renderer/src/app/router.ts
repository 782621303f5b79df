/**
 * Routes and the navigation derived from them. Hash history: identical whether the page is served
 * by the local server or loaded inside Electron. Each feature exports its routes; a route with
 * `meta.navOrder` appears in the left navigation, so the nav lists only pages that exist.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import type { Component } from 'vue';
import { dashboardRoutes } from '@/features/dashboard/routes';
import { marketRoutes } from '@/features/market/routes';
import { tradingRoutes } from '@/features/trading/routes';
import { riskRoutes } from '@/features/risk/routes';
import { backtestRoutes } from '@/features/backtest/routes';
import { optimizeRoutes } from '@/features/optimize/routes';
import { dataRoutes } from '@/features/data/routes';
import { systemRoutes } from '@/features/system/routes';
import { logsRoutes } from '@/features/logs/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (nav label and document title). */
    titleKey?: string;
    icon?: Component;
    /** Position in the left navigation; routes without it are not listed. */
    navOrder?: number;
  }
}

const featureRoutes: RouteRecordRaw[] = [...dashboardRoutes, ...marketRoutes, ...tradingRoutes, ...riskRoutes, ...backtestRoutes, ...optimizeRoutes, ...dataRoutes, ...systemRoutes, ...logsRoutes];

export interface NavEntry {
  name: string;
  path: string;
  titleKey: string;
  icon: Component | undefined;
}

export const navEntries: NavEntry[] = featureRoutes
  .filter((r) => r.meta?.navOrder !== undefined && r.meta.titleKey !== undefined && typeof r.name === 'string')
  .sort((a, b) => (a.meta?.navOrder ?? 0) - (b.meta?.navOrder ?? 0))
  .map((r) => ({ name: r.name as string, path: r.path, titleKey: r.meta?.titleKey ?? '', icon: r.meta?.icon }));

/**
 * Created after the session bootstrap has removed `#token=` from the URL, so the router never sees it.
 * Home is the first navigation entry (the Dashboard), redirected by name.
 */
export function createAppRouter() {
  const home = { name: navEntries[0]?.name ?? 'dashboard' };
  return createRouter({
    history: createWebHashHistory(),
    routes: [{ path: '/', redirect: home }, ...featureRoutes, { path: '/:pathMatch(.*)*', redirect: home }],
  });
}
