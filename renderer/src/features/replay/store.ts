/**
 * The market replay (one at a time, on the server): its state, kept live by the `replay` events
 * of the quote stream (see useMarketFeed), and the bar's form (kept across pages: the trading page
 * and the dashboard share one replay).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { controlReplay, getReplay, startReplay, type ReplayControl, type ReplayPeriod, type ReplaySpeed, type ReplayState } from '@/api/replay';
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

export const useReplayStore = defineStore('replay', () => {
  const state = ref<ReplayState | null>(null);
  const busy = ref(false);
  const form = ref<ReplayForm>({ symbols: [], start: defaultStart(), period: 'day', speed: 'max' });

  const active = computed(() => state.value?.state === 'running' || state.value?.state === 'paused');
  const progress = computed(() => percent(state.value?.stepsDone ?? 0, state.value?.steps ?? 0));

  /** The newest state wins; an event may overtake the answer to a command, so older steps are ignored. */
  function apply(next: ReplayState): void {
    const known = state.value;
    if (known && next.state !== 'idle' && known.state !== 'idle' && known.start === next.start && known.symbols.join() === next.symbols.join()) {
      if (next.stepsDone < known.stepsDone) return;
    }
    state.value = next;
    // A replay found under way (another page, a reload) fills an untouched form, so Start restarts it.
    if (next.state !== 'idle' && form.value.symbols.length === 0) {
      form.value = {
        symbols: [...next.symbols],
        start: next.start ?? form.value.start,
        period: (PERIODS as readonly string[]).includes(next.period) ? (next.period as ReplayPeriod) : form.value.period,
        speed: next.speed,
      };
    }
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

  return { state, busy, form, active, progress, apply, load, start, control };
});
