import type { RouteRecordRaw } from 'vue-router';
import { Sell } from '@element-plus/icons-vue';

export const tradingRoutes: RouteRecordRaw[] = [
  {
    path: '/trading',
    name: 'trading',
    component: () => import('./views/TradingView.vue'),
    // After Market: a trader looks, then trades; backtests and data are less frequent.
    meta: { titleKey: 'nav.trading', icon: Sell, navOrder: 150 },
  },
];
