import type { RouteRecordRaw } from 'vue-router';
import { Warning } from '@element-plus/icons-vue';

export const riskRoutes: RouteRecordRaw[] = [
  {
    path: '/risk',
    name: 'risk',
    component: () => import('./views/RiskView.vue'),
    // After Trading: the rules watch what is traded.
    meta: { titleKey: 'nav.risk', icon: Warning, navOrder: 160 },
  },
];
