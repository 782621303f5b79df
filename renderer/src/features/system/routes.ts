import type { RouteRecordRaw } from 'vue-router';
import { Monitor } from '@element-plus/icons-vue';

export const systemRoutes: RouteRecordRaw[] = [
  {
    path: '/system',
    name: 'system',
    component: () => import('./views/SystemView.vue'),
    meta: { titleKey: 'nav.system', icon: Monitor, navOrder: 900 },
  },
];
