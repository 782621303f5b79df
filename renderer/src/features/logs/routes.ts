import type { RouteRecordRaw } from 'vue-router';
import { Tickets } from '@element-plus/icons-vue';

export const logsRoutes: RouteRecordRaw[] = [
  {
    path: '/logs',
    name: 'logs',
    component: () => import('./views/LogsView.vue'),
    // Right after System in the navigation.
    meta: { titleKey: 'nav.logs', icon: Tickets, navOrder: 910 },
  },
];
