import type { RouteRecordRaw } from 'vue-router';
import { Operation } from '@element-plus/icons-vue';

export const optimizeRoutes: RouteRecordRaw[] = [
  {
    path: '/optimize',
    name: 'optimize',
    component: () => import('./views/OptimizeView.vue'),
    // Right after Backtest in the navigation: test one setting, then search for better ones.
    meta: { titleKey: 'nav.optimize', icon: Operation, navOrder: 210 },
  },
  {
    path: '/optimize/history',
    name: 'optimize-history',
    component: () => import('./views/OptimizeHistoryView.vue'),
    meta: { titleKey: 'optimize.historyList.title' },
  },
  {
    // A run under way and, once done, its results: one page per optimization, so a reload re-follows it.
    path: '/optimize/:id',
    name: 'optimize-result',
    component: () => import('./views/OptimizationView.vue'),
    meta: { titleKey: 'optimize.result.title' },
  },
];
