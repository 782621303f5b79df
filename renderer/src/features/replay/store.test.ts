import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as replayApi from '@/api/replay';
import { controlReplay, startReplay, type ReplayState } from '@/api/replay';
import { defaultStart, useReplayStore } from './store';

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

beforeEach(() => {
  setActivePinia(createPinia());
  vi.mocked(startReplay).mockReset();
  vi.mocked(controlReplay).mockReset();
});

describe('replay store', () => {
  it('defaults to a year back', () => {
    expect(defaultStart(new Date('2026-12-05T00:00:00Z'))).toBe('2025-12-05');
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
