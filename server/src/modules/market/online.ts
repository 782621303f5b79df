/**
 * The online side of the market module, composed once per server: the provider registry (settings
 * decide which providers are on and their order), the quote service, the K-line filler, the live
 * quote poller and the instrument-list refresh.
 */
import type { components } from '../../../../contracts/gen/api';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/bus';
import { AppError } from '../../platform/errors';
import type { BreakerOptions } from '../../providers/breaker';
import { describeError, unavailable } from '../../providers/errors';
import type { FetchLike, HttpOptions } from '../../providers/http';
import { ProviderRegistry } from '../../providers/registry';
import type { ProviderSettings } from '../../providers/types';
import { DEFAULT_SETTINGS, type Settings } from '../system/settings-repository';
import { KlineFiller } from './kline-filler';
import { ProfileFiller } from './profile-filler';
import { QuotePoller } from './quote-poller';
import { QuoteService } from './quote-service';
import type { MarketRepository } from './repository';
import type { TradingCalendar } from './trading-calendar';

export type InstrumentRefresh = components['schemas']['InstrumentRefresh'];

interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Knobs for tests (fast sleeps, small thresholds); the defaults suit the desktop app. */
export interface ProviderTuning {
  http?: Partial<Omit<HttpOptions, 'fetch' | 'now'>>;
  breaker?: Partial<Omit<BreakerOptions, 'now'>>;
  /** Longest a REST quote request waits for the providers (ms). */
  quoteDeadlineMs?: number;
  /** Least time between two K-line fills of one series (ms). */
  fillIntervalMs?: number;
}

export interface OnlineMarketOptions {
  db: Db;
  repo: MarketRepository;
  bus: EventBus;
  settings: () => Settings;
  fetch?: FetchLike;
  now?: () => number;
  log?: Log;
  tuning?: ProviderTuning;
}

export interface OnlineMarket {
  registry: ProviderRegistry;
  quotes: QuoteService;
  filler: KlineFiller;
  /** Industries and listing dates, asked on demand. */
  profiles: ProfileFiller;
  poller: QuotePoller;
  calendar: TradingCalendar;
  refreshInstruments(): Promise<InstrumentRefresh>;
  close(): void;
}

export function createOnlineMarket(options: OnlineMarketOptions): OnlineMarket {
  const now = options.now ?? Date.now;
  const { db, repo, log } = options;
  const providerSettings = (): ProviderSettings => options.settings().providers ?? DEFAULT_SETTINGS.providers ?? [];
  const registry = new ProviderRegistry({
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    settings: providerSettings,
    now,
    http: options.tuning?.http,
    breaker: options.tuning?.breaker,
    onBreakerChange: (id, from, to) => {
      if (to === 'open') log?.warn({ module: 'providers', provider: id }, `${id} is unreachable: calls fail fast until a probe succeeds`);
      else if (to === 'closed' && from !== 'closed') log?.info({ module: 'providers', provider: id }, `${id} is reachable again`);
    },
  });
  const quotes = new QuoteService({ repo, registry, now, deadlineMs: options.tuning?.quoteDeadlineMs, log });
  const filler = new KlineFiller({ db, repo, registry, now, minIntervalMs: options.tuning?.fillIntervalMs, log });
  const profiles = new ProfileFiller({ repo, registry, now, log });
  const calendar = repo.calendar;
  const poller = new QuotePoller({
    quotes,
    bus: options.bus,
    calendar,
    now,
    pollSeconds: () => options.settings().quotePollSeconds ?? DEFAULT_SETTINGS.quotePollSeconds ?? 5,
    log,
  });

  async function refreshInstruments(): Promise<InstrumentRefresh> {
    const errors: unknown[] = [];
    for (const provider of registry.listProviders()) {
      let list;
      try {
        list = await provider.instruments();
      } catch (err) {
        errors.push(err);
        log?.warn({ module: 'providers', provider: provider.id, err: describeError(err) }, 'instrument list failed');
        continue;
      }
      let added = 0;
      let renamed = 0;
      db.transaction(() => {
        for (const item of list) {
          const before = repo.getInstrument(item.symbol);
          repo.ensureInstrument(item.symbol, item.name);
          if (!before) added++;
          else if (before.name !== item.name) renamed++;
        }
      }).immediate();
      log?.info({ module: 'market', source: provider.id, total: list.length, added, renamed }, 'instrument list refreshed');
      return { source: provider.id, total: list.length, added, renamed };
    }
    throw errors.length > 0 ? unavailable(errors, 'the instrument list') : new AppError('MARKET_DATA_UNAVAILABLE', 'no enabled provider offers the instrument list');
  }

  return {
    registry,
    quotes,
    filler,
    profiles,
    poller,
    calendar,
    refreshInstruments,
    close() {
      poller.close();
      profiles.close();
      quotes.close();
      filler.close();
    },
  };
}
