/** How each alert severity looks: Element Plus's own status colours, so light and dark both read. */
import type { AlertSeverity } from '@/api/alerts';

export const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

export const SEVERITY_TAG: Record<AlertSeverity, 'danger' | 'warning' | 'info'> = {
  critical: 'danger',
  warning: 'warning',
  info: 'info',
};

export const SEVERITY_COLOR: Record<AlertSeverity, string> = {
  critical: 'var(--el-color-danger)',
  warning: 'var(--el-color-warning)',
  info: 'var(--el-color-info)',
};
