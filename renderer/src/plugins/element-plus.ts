/**
 * Element Plus: components used in templates are imported on demand by unplugin-vue-components
 * (with their styles). What the resolver cannot see is set up here: the dark-theme variables, the
 * styles of the service components we call from script (ElMessage, ElMessageBox) and the locales.
 */
import 'element-plus/theme-chalk/dark/css-vars.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import en from 'element-plus/es/locale/lang/en';
import type { Locale } from './i18n';

export const elementLocales = { 'zh-CN': zhCn, en } satisfies Record<Locale, unknown>;
