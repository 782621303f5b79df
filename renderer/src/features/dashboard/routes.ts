import type { RouteRecordRaw } from 'vue-router';
import { Odometer } from '@element-plus/icons-vue';

export const dashboardRoutes: RouteRecordRaw[] = [
  {
    path: '/dashboard',
    name: 'dashboard',
    component: () => import('./views/DashboardView.vue'),
    // Home: first in the navigation, and where `/` leads.
    meta: { titleKey: 'nav.dashboard', icon: Odometer, navOrder: 10 },
  },
];
