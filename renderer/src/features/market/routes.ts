import type { RouteRecordRaw } from 'vue-router';
import { TrendCharts } from '@element-plus/icons-vue';

export const marketRoutes: RouteRecordRaw[] = [
  {
    // `/market/600000.SH`; `/market` shows the last symbol viewed.
    path: '/market/:symbol?',
    name: 'market',
    component: () => import('./views/MarketView.vue'),
    meta: { titleKey: 'nav.market', icon: TrendCharts, navOrder: 100 },
  },
];
