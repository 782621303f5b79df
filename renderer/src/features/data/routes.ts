import type { RouteRecordRaw } from 'vue-router';
import { FolderOpened } from '@element-plus/icons-vue';

export const dataRoutes: RouteRecordRaw[] = [
  {
    path: '/data',
    name: 'data',
    component: () => import('./views/DataView.vue'),
    meta: { titleKey: 'nav.data', icon: FolderOpened, navOrder: 800 },
  },
];
