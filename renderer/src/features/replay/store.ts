/**
 * The market replay (one at a time, on the server): its state, kept live by the `replay` events
 * of the quote stream (see useMarketFeed), and the bar's form (kept across pages: the trading page
 * and the dashboard share one replay).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getCoverage } from '@/api/data';
import { controlReplay, getReplay, startReplay, type ReplayControl, type ReplayPeriod, type ReplaySpeed, type ReplayState } from '@/api/replay';
import { useQuoteStore } from '@/features/market/quote-store';
import { percent } from '@/utils/format';

export interface ReplayForm {
  symbols: string[];
  start: string;
  period: ReplayPeriod;
  speed: ReplaySpeed;
}

export const SPEEDS: readonly ReplaySpeed[] = ['1', '10', '60', 'max'];
export const PERIODS: readonly ReplayPeriod[] = ['day', '1m', '5m', '15m', '30m', '60m'];

/** A year back from `today`: enough daily bars to trade through, few enough to watch. */
export function defaultStart(today = new Date()): string {
  const d = new Date(today);
  d.setFullYear(d.getFullYear() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The start for cached bars from `first` to `last` (YYYY-MM-DD…): a year before the newest daily
 * bar, a week before the newest minute bar, never before the first. Data imported long ago (the
 * bundled sample ends in 2025) then still replays, where a year back from today may hold nothing.
 */
export function startForCoverage(first: string, last: string, period: ReplayPeriod): string {
  const d = new Date(`${last.slice(0, 10)}T00:00:00Z`);
  if (period === 'day') d.setUTCFullYear(d.getUTCFullYear() - 1);
  else d.setUTCDate(d.getUTCDate() - 7);
  const start = d.toISOString().slice(0, 10);
  return start < first.slice(0, 10) ? first.slice(0, 10) : start;
}

export const useReplayStore = defineStore('replay', () => {
  const state = ref<ReplayState | null>(null);
  const busy = ref(false);
  const form = ref<ReplayForm>({ symbols: [], start: defaultStart(), period: 'day', speed: 'max' });
  /** Set once the trader picks a date: from then on the start is theirs, not fitted to the data. */
  const startChosen = ref(false);

  const active = computed(() => state.value?.state === 'running' || state.value?.state === 'paused');
  const progress = computed(() => percent(state.value?.stepsDone ?? 0, state.value?.steps ?? 0));

  /** The newest state wins; an event may overtake the answer to a command, so older steps are ignored. */
  function apply(next: ReplayState): void {
    const known = state.value;
    if (known && next.state !== 'idle' && known.state !== 'idle' && known.start === next.start && known.symbols.join() === next.symbols.join()) {
      if (next.stepsDone < known.stepsDone) return;
    }
    state.value = next;
    // The replay's prices now: a page opened mid-replay values a replay account (and fills its
    // ticket) at them, not at the cache's last close.
    if (next.state !== 'idle' && next.quotes?.length) {
      const quotes = useQuoteStore();
      for (const q of next.quotes) quotes.apply(q);
    }
    // A replay found under way (another page, a reload) fills an untouched form, so Start restarts it.
    if (next.state !== 'idle' && form.value.symbols.length === 0) {
      form.value = {
        symbols: [...next.symbols],
        start: next.start ?? form.value.start,
        period: (PERIODS as readonly string[]).includes(next.period) ? (next.period as ReplayPeriod) : form.value.period,
        speed: next.speed,
      };
      startChosen.value = next.start !== undefined;
    }
  }

  /**
   * An untouched start is fitted to the cached bars of the first symbol (its coverage for the
   * form's period); no coverage leaves it as it is, and the server says so on start (2003).
   */
  async function fitStart(): Promise<void> {
    const { symbols, period } = form.value;
    if (startChosen.value || symbols.length === 0) return;
    const rows = await getCoverage({ symbol: symbols[0]!, period });
    const row = rows.find((r) => r.adjust === 'none') ?? rows[0];
    if (row && !startChosen.value && form.value.symbols[0] === symbols[0]) form.value.start = startForCoverage(row.first, row.last, period);
  }

  function chooseStart(start: string): void {
    startChosen.value = true;
    form.value.start = start;
  }

  async function load(): Promise<void> {
    apply(await getReplay());
  }

  async function run(work: () => Promise<ReplayState>): Promise<void> {
    busy.value = true;
    try {
      // The answer is authoritative for a command (a new start resets the steps).
      state.value = await work();
    } finally {
      busy.value = false;
    }
  }

  function start(paused = false): Promise<void> {
    const f = form.value;
    return run(() => startReplay({ symbols: f.symbols, start: f.start, period: f.period, speed: f.speed, paused }));
  }

  function control(action: ReplayControl['action'], speed?: ReplaySpeed): Promise<void> {
    return run(() => controlReplay(speed ? { action, speed } : { action }));
  }

  return { state, busy, form, active, progress, apply, load, start, control, fitStart, chooseStart };
});
