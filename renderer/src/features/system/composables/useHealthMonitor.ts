/**
 * Polls GET /api/system/health while the owning component is mounted and the window is visible,
 * and keeps the samples the resource chart draws (real measurements, newest last).
 * Polls never overlap: the next one is scheduled only after the previous one settled.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { getHealth, type Health } from '@/api/system';

export interface HealthSample {
  /** Local time the answer arrived (ms since epoch). */
  at: number;
  rssBytes: number | null;
  latencyMs: number;
}

export function useHealthMonitor(options: { intervalMs?: number; maxSamples?: number } = {}) {
  const intervalMs = options.intervalMs ?? 5000;
  const maxSamples = options.maxSamples ?? 180; // 15 minutes at 5 s

  const health = shallowRef<Health | null>(null);
  const error = shallowRef<Error | null>(null);
  const updatedAt = ref<Date | null>(null);
  const samples = shallowRef<HealthSample[]>([]);
  const loading = ref(false);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let active = false;

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (active && document.visibilityState === 'visible') timer = setTimeout(() => void refresh(), intervalMs);
  }

  async function refresh(): Promise<void> {
    if (loading.value) return; // the running poll reschedules when it settles
    clearTimeout(timer);
    loading.value = true;
    try {
      const next = await getHealth();
      health.value = next;
      error.value = null;
      updatedAt.value = new Date();
      const sample: HealthSample = {
        at: updatedAt.value.getTime(),
        rssBytes: next.memory?.rssBytes ?? null,
        latencyMs: next.database.latencyMs,
      };
      samples.value = [...samples.value.slice(-(maxSamples - 1)), sample];
    } catch (e) {
      // The client has already told the user; keep the last good figures on screen.
      error.value = e instanceof Error ? e : new Error(String(e));
    } finally {
      loading.value = false;
      schedule();
    }
  }

  function onVisibilityChange(): void {
    if (document.visibilityState === 'visible') void refresh();
    else schedule(); // clears the timer
  }

  onMounted(() => {
    active = true;
    document.addEventListener('visibilitychange', onVisibilityChange);
    void refresh();
  });

  onBeforeUnmount(() => {
    active = false;
    document.removeEventListener('visibilitychange', onVisibilityChange);
    clearTimeout(timer);
  });

  return { health, error, updatedAt, samples, loading, refresh };
}
