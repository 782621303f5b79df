/** How a task run's card words its failure and its time left (any kind: backtests, optimizations). */
import { ErrorCodes } from '@contracts/gen/error-codes';
import type { Locale } from '@/plugins/i18n';

const byCode = new Map<number, { zh: string; en: string }>(Object.values(ErrorCodes).map((e) => [e.code, e]));

/**
 * A failed run's message in the UI language, from the error catalogue (contracts/errors.yaml) by
 * its code; the server's own message (English, often more specific: "No bars for 600519.SH") for
 * a code this build does not know. The card shows the server's message as the detail on hover.
 */
export function errorText(error: { code: number; message: string }, locale: Locale): string {
  const entry = byCode.get(error.code);
  if (!entry) return error.message;
  return locale === 'en' ? entry.en : entry.zh;
}

/** Seconds as `1:05` / `12:34` / `1:02:03`: an ETA wants a compact clock, not "1 分 5 秒". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
