import type { RouteRecordRaw } from 'vue-router';
import { DataLine } from '@element-plus/icons-vue';

export const backtestRoutes: RouteRecordRaw[] = [
  {
    path: '/backtest',
    name: 'backtest',
    component: () => import('./views/BacktestView.vue'),
    // Right after Market in the navigation: chart a symbol, then test an idea on it.
    meta: { titleKey: 'nav.backtest', icon: DataLine, navOrder: 200 },
  },
  {
    path: '/backtest/history',
    name: 'backtest-history',
    component: () => import('./views/BacktestHistoryView.vue'),
    meta: { titleKey: 'backtest.historyList.title' },
  },
  {
    // `?ids=a,b[,c,d]`: a comparison is a link that can be kept.
    path: '/backtest/compare',
    name: 'backtest-compare',
    component: () => import('./views/BacktestCompareView.vue'),
    meta: { titleKey: 'backtest.compare.title' },
  },
  {
    path: '/backtest/results/:id',
    name: 'backtest-result',
    component: () => import('./views/BacktestResultView.vue'),
    meta: { titleKey: 'backtest.result.title' },
  },
];
