/**
 * Instrument reference data the cache cannot get from bars: the industry (risk exposure by
 * industry) and the listing date, asked of the online providers on demand and kept in
 * `instruments`. Like the K-line filler, it only fills the cache: offline (or with no provider
 * enabled) nothing is asked and the industry stays unknown; nothing here ever throws into a request.
 *
 * Asking is in the background and one symbol at a time (a risk report of 30 positions must not
 * fire 30 requests at once); a symbol is asked again only after `retryMs` (the provider may have
 * had nothing, or failed), remembered in `profiled_at` so a restart does not ask again either.
 */
import { describeError } from '../../providers/errors';
import type { ProviderRegistry } from '../../providers/registry';
import type { MarketRepository } from './repository';

/** How long before an instrument the providers had no industry for is asked again. */
export const PROFILE_RETRY_MS = 7 * 24 * 3_600_000;

export interface ProfileFillerDeps {
  repo: MarketRepository;
  registry: ProviderRegistry;
  now: () => number;
  retryMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class ProfileFiller {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: ProfileFillerDeps) {}

  /** The industries known now (undefined: unknown); the unknown ones are asked for in the background. */
  industries(symbols: readonly string[]): Map<string, string | undefined> {
    const out = new Map<string, string | undefined>();
    for (const symbol of symbols) {
      const profile = this.deps.repo.profileOf(symbol);
      out.set(symbol, profile?.industry ?? undefined);
      if (profile && profile.industry === null && this.due(profile.profiledAt)) this.enqueue(symbol);
    }
    return out;
  }

  /** Resolves when every symbol asked for so far has been tried (tests, and a caller that can wait). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private due(profiledAt: string | null): boolean {
    return profiledAt === null || this.deps.now() - Date.parse(profiledAt) >= (this.deps.retryMs ?? PROFILE_RETRY_MS);
  }

  private enqueue(symbol: string): void {
    if (this.closed || this.queued.has(symbol) || this.deps.registry.profileProviders().length === 0) return;
    this.queued.add(symbol);
    this.queue.push(symbol);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    for (let symbol = this.queue.shift(); symbol !== undefined && !this.closed; symbol = this.queue.shift()) {
      await this.ask(symbol);
      this.queued.delete(symbol);
    }
  }

  /** The first enabled provider that knows the symbol wins; a failure is logged and retried later. */
  private async ask(symbol: string): Promise<void> {
    for (const provider of this.deps.registry.profileProviders()) {
      try {
        const profile = await provider.profile(symbol);
        if (this.closed) return;
        if (!profile) continue;
        this.deps.repo.setProfile(symbol, profile, new Date(this.deps.now()).toISOString());
        return;
      } catch (err) {
        this.deps.log?.warn({ module: 'market', provider: provider.id, symbol, err: describeError(err) }, 'instrument profile failed');
        return; // not marked as asked: tried again on the next request once the breaker lets it
      }
    }
    // No provider knows it: remember that it was asked, so it is not asked on every request.
    if (!this.closed) this.deps.repo.setProfile(symbol, {}, new Date(this.deps.now()).toISOString());
  }
}
