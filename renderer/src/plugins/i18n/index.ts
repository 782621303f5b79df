/**
 * vue-i18n in composition mode. zh-CN is the default; the settings store switches the locale
 * (and `<html lang>`) once the user's settings arrive from the server.
 */
import { createI18n } from 'vue-i18n';
import type { components } from '@contracts/gen/api';
import zhCN from './zh-CN';
import en from './en';
import type { MessageSchema } from './schema';

export type Locale = components['schemas']['Language'];
export type { MessageSchema };

export const messages: Record<Locale, MessageSchema> = { 'zh-CN': zhCN, en };

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages,
});

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
