/**
 * The market replay (contracts/replay.yaml): one at a time. Start loads each symbol's cached bars
 * for the range through the K-line service (with the bar before it, for the first previous close)
 * and merges their times into one clock; every step publishes a `quote` per symbol with a bar at
 * that time on the bus topic `quotes` — the topic live polling feeds — and state changes go out
 * there as `replay` events.
 *
 * Pacing: one bar period of market time per step (60 s for 1-minute bars, a 240-minute session for
 * daily ones) divided by the speed; `max` runs steps back to back, yielding to the event loop every
 * few milliseconds so requests and streams keep flowing.
 */
import type { EventBus } from '../../platform/bus';
import { AppError } from '../../platform/errors';
import { formatTs, parseTimeString, type Period } from '../../engine/bars/time';
import type { components } from '../../../../contracts/gen/api';
import type { KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import { QuoteTape, type Quote } from './quotes';

export type ReplayState = components['schemas']['ReplayState'];
export type ReplayRequest = components['schemas']['ReplayRequest'];
export type ReplayControl = components['schemas']['ReplayControl'];
type Speed = components['schemas']['ReplaySpeed'];

/** Market seconds of one step by period. */
const STEP_SECONDS: Record<string, number> = { '1m': 60, '5m': 300, '15m': 900, '30m': 1800, '60m': 3600, day: 240 * 60 };
/** How long `max` speed runs steps before yielding. */
const MAX_SLICE_MS = 8;

interface Track {
  tape: QuoteTape;
  ts: Float64Array;
  /** Next bar to replay. */
  next: number;
  /** One past the last bar in range. */
  end: number;
  /** The last quote published (what the symbol's price is now in the replay). */
  last?: Quote;
}

interface Run {
  request: Omit<ReplayRequest, 'period' | 'speed'> & { period: Period; speed: Speed };
  tracks: Track[];
  clock: number[];
  stepsDone: number;
  quotesPublished: number;
  state: 'running' | 'paused' | 'finished';
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

export class ReplayService {
  private run: Run | undefined;

  constructor(private readonly deps: { bus: EventBus; klines: KlineService; market: MarketRepository }) {}

  state(): ReplayState {
    const r = this.run;
    if (!r) return { state: 'idle', symbols: [], period: 'day', speed: '1', stepsDone: 0, steps: 0, quotesPublished: 0 };
    return {
      state: r.state,
      symbols: r.request.symbols,
      period: r.request.period,
      start: r.request.start,
      ...(r.request.end ? { end: r.request.end } : {}),
      speed: r.request.speed,
      ...(r.stepsDone > 0 ? { clock: formatTs(r.clock[r.stepsDone - 1]!, r.request.period) } : {}),
      stepsDone: r.stepsDone,
      steps: r.clock.length,
      quotesPublished: r.quotesPublished,
      quotes: r.tracks.flatMap((t) => (t.last ? [t.last] : [])),
    };
  }

  /**
   * The price adjustment of the running replay's bars ('none' when idle): a consumer that extends
   * the replayed quotes with cached history (the risk module's bar closes) reads the same series.
   */
  adjust(): NonNullable<ReplayRequest['adjust']> {
    return this.run?.request.adjust ?? 'none';
  }

  start(raw: ReplayRequest): ReplayState {
    const request = { ...raw, period: (raw.period ?? 'day') as Period, speed: raw.speed ?? '1' };
    if (parseTimeString(request.start) === undefined) throw new AppError('DATE_INVALID', [{ field: 'body.start', message: `${request.start} is not a real date` }]);
    if (request.end !== undefined && parseTimeString(request.end) === undefined) throw new AppError('DATE_INVALID', [{ field: 'body.end', message: `${request.end} is not a real date` }]);
    if (request.end !== undefined && request.end < request.start) throw new AppError('DATE_RANGE_INVALID', [{ field: 'body.start', message: 'start is after end' }]);

    const tracks: Track[] = request.symbols.map((symbol, i) => {
      const instrument = this.deps.market.getInstrument(symbol);
      if (!instrument) throw new AppError('SYMBOL_NOT_FOUND', [{ field: `body.symbols.${i}`, message: `${symbol} is not in the cache` }]);
      const h = this.deps.klines.history({ symbol, period: request.period, adjust: request.adjust ?? 'none', start: request.start, ...(request.end ? { end: request.end } : {}) });
      return { tape: new QuoteTape(symbol, instrument.name, h.bars, request.period, h.first), ts: h.bars.ts, next: h.first, end: h.bars.length };
    });
    this.stop(false);
    const run: Run = { request, tracks, clock: mergeTimes(tracks), stepsDone: 0, quotesPublished: 0, state: request.paused ? 'paused' : 'running' };
    this.run = run;
    this.announce();
    if (run.state === 'running') this.schedule(run);
    return this.state();
  }

  control(command: ReplayControl): ReplayState {
    const r = this.run;
    if (command.action === 'stop') {
      this.stop(true);
      return this.state();
    }
    if (!r) throw new AppError('NOT_FOUND', [{ message: 'no replay has been started' }]);
    switch (command.action) {
      case 'pause':
        if (r.state === 'running') {
          this.clearTimer(r);
          r.state = 'paused';
        }
        break;
      case 'resume':
        if (r.state === 'paused') {
          r.state = 'running';
          this.schedule(r);
        }
        break;
      case 'step':
        if (r.state === 'running') {
          this.clearTimer(r);
          r.state = 'paused';
        }
        if (r.state === 'paused') this.step(r);
        break;
      case 'speed':
        if (!command.speed) throw new AppError('VALIDATION_ERROR', [{ field: 'body.speed', message: 'the speed command needs a speed' }]);
        r.request.speed = command.speed;
        if (r.state === 'running') {
          this.clearTimer(r);
          this.schedule(r);
        }
        break;
    }
    this.announce();
    return this.state();
  }

  close(): void {
    if (this.run) this.clearTimer(this.run);
  }

  /** Publishes the quotes of the next time on the clock; finishes the run after the last one. */
  private step(r: Run): void {
    const t = r.clock[r.stepsDone];
    if (t === undefined) return;
    for (const track of r.tracks) {
      if (track.next < track.end && track.ts[track.next] === t) {
        track.last = track.tape.quote(track.next);
        this.deps.bus.publish('quotes', 'quote', track.last);
        track.next++;
        r.quotesPublished++;
      }
    }
    r.stepsDone++;
    if (r.stepsDone === r.clock.length) {
      this.clearTimer(r);
      r.state = 'finished';
      this.announce();
    }
  }

  private schedule(r: Run): void {
    if (r.request.speed === 'max') {
      const slice = () => {
        const until = performance.now() + MAX_SLICE_MS;
        while (r.state === 'running' && performance.now() < until) this.step(r);
        if (r.state === 'running') r.timer = setImmediate(slice);
      };
      r.timer = setImmediate(slice);
      return;
    }
    const every = (STEP_SECONDS[r.request.period]! * 1000) / Number(r.request.speed);
    const tick = () => {
      this.step(r);
      if (r.state === 'running') r.timer = setTimeout(tick, every);
    };
    r.timer = setTimeout(tick, every);
  }

  private clearTimer(r: Run): void {
    if (r.timer) {
      clearTimeout(r.timer as NodeJS.Timeout);
      clearImmediate(r.timer as NodeJS.Immediate);
    }
    r.timer = undefined;
  }

  private stop(announce: boolean): void {
    if (!this.run) return;
    this.clearTimer(this.run);
    this.run = undefined;
    if (announce) this.announce();
  }

  private announce(): void {
    this.deps.bus.publish('quotes', 'replay', this.state());
  }
}

/** Every bar time of the tracks' ranges, ascending, once (a k-way merge). */
function mergeTimes(tracks: readonly Track[]): number[] {
  const at = tracks.map((t) => t.next);
  const out: number[] = [];
  for (;;) {
    let min = Infinity;
    tracks.forEach((t, k) => {
      if (at[k]! < t.end && t.ts[at[k]!]! < min) min = t.ts[at[k]!]!;
    });
    if (min === Infinity) return out;
    out.push(min);
    tracks.forEach((t, k) => {
      if (at[k]! < t.end && t.ts[at[k]!] === min) at[k]!++;
    });
  }
}
