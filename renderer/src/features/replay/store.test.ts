import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as replayApi from '@/api/replay';
import { controlReplay, startReplay, type ReplayState } from '@/api/replay';
import { getCoverage } from '@/api/data';
import { defaultStart, startForCoverage, useReplayStore } from './store';

vi.mock('@/api/replay', async (original) => ({
  ...(await original<typeof replayApi>()),
  getReplay: vi.fn(),
  startReplay: vi.fn(),
  controlReplay: vi.fn(),
}));

const state = (over: Partial<ReplayState> = {}): ReplayState => ({
  state: 'running',
  symbols: ['600000.SH'],
  period: 'day',
  speed: 'max',
  start: '2025-06-02',
  stepsDone: 5,
  steps: 46,
  ...over,
});

vi.mock('@/api/data', () => ({ getCoverage: vi.fn() }));

beforeEach(() => {
  setActivePinia(createPinia());
  vi.mocked(startReplay).mockReset();
  vi.mocked(controlReplay).mockReset();
});

describe('replay store', () => {
  it('defaults to a year back', () => {
    expect(defaultStart(new Date('2026-12-05T00:00:00Z'))).toBe('2025-12-05');
  });

  it('fits the start to the cached bars: a year before the newest daily bar, a week for minutes, never before the first', () => {
    expect(startForCoverage('2025-01-02', '2025-08-05', 'day')).toBe('2025-01-02');
    expect(startForCoverage('2020-01-02', '2025-08-05', 'day')).toBe('2024-08-05');
    expect(startForCoverage('2025-07-01 09:31', '2025-08-05 15:00', '1m')).toBe('2025-07-29');
  });

  it('fits an untouched start to the first symbol\'s coverage, and leaves a chosen one alone', async () => {
    const replay = useReplayStore();
    vi.mocked(getCoverage).mockResolvedValue([
      { symbol: '600000.SH', name: '浦发银行', period: 'day', adjust: 'none', first: '2019-01-02', last: '2025-08-05', bars: 1600, updatedAt: '2026-01-01T00:00:00Z' },
    ]);
    replay.form.symbols = ['600000.SH'];
    await replay.fitStart();
    expect(getCoverage).toHaveBeenCalledWith({ symbol: '600000.SH', period: 'day' });
    expect(replay.form.start).toBe('2024-08-05');
    replay.chooseStart('2025-06-02');
    await replay.fitStart();
    expect(replay.form.start).toBe('2025-06-02');
  });

  it("puts the replay's last quotes in the quote store (a page opened mid-replay)", async () => {
    const { useQuoteStore } = await import('@/features/market/quote-store');
    const replay = useReplayStore();
    const quote = { symbol: '600000.SH', name: '浦发银行', price: 10.2, prevClose: 9.65, change: 0.55, changePercent: 5.7, time: '2025-04-08T15:00:00+08:00', source: 'replay' as const, stale: false };
    replay.apply(state({ quotes: [quote] }));
    expect(useQuoteStore().quotes['600000.SH']).toEqual(quote);
  });

  it('follows events, ignoring a step older than the one held', () => {
    const replay = useReplayStore();
    replay.apply(state({ stepsDone: 5 }));
    replay.apply(state({ stepsDone: 3 }));
    expect(replay.state?.stepsDone).toBe(5);
    expect(replay.progress).toBe(10.9);
    replay.apply(state({ state: 'finished', stepsDone: 46 }));
    expect(replay.active).toBe(false);
    expect(replay.progress).toBe(100);
  });

  it('a new replay (another start) is taken whole', () => {
    const replay = useReplayStore();
    replay.apply(state({ stepsDone: 40 }));
    replay.apply(state({ start: '2025-07-01', stepsDone: 1 }));
    expect(replay.state?.stepsDone).toBe(1);
  });

  it('a replay found under way fills an untouched form', () => {
    const replay = useReplayStore();
    replay.apply(state({ speed: '10', start: '2025-06-02' }));
    expect(replay.form).toEqual({ symbols: ['600000.SH'], start: '2025-06-02', period: 'day', speed: '10' });
  });

  it('starts with the form and answers become the state', async () => {
    const replay = useReplayStore();
    replay.form = { symbols: ['600000.SH'], start: '2025-06-02', period: 'day', speed: '60' };
    vi.mocked(startReplay).mockResolvedValue(state({ state: 'paused', stepsDone: 0 }));
    await replay.start(true);
    expect(startReplay).toHaveBeenCalledWith({ symbols: ['600000.SH'], start: '2025-06-02', period: 'day', speed: '60', paused: true });
    expect(replay.state?.state).toBe('paused');
    vi.mocked(controlReplay).mockResolvedValue(state({ state: 'running', speed: 'max' }));
    await replay.control('speed', 'max');
    expect(controlReplay).toHaveBeenCalledWith({ action: 'speed', speed: 'max' });
    expect(replay.busy).toBe(false);
  });
});
