/**
 * Paper trading ledger, by property: long random sequences of orders (market and limit, buys and
 * sells, lots and odd quantities), quotes, cancels, days and restarts on a paper account
 * (modules/trading/book.ts, the way the service drives it: stored after every change, its head and
 * history rows kept as the repository keeps them). After every
 * step and at every day's end the cash is the initial cash plus the sum of the fills' cash flows,
 * to the fen; the portfolio's ledger reconciles; nothing goes negative; T+1 holds (what is sellable
 * is what is held less what was bought today); and a restart from the stored JSON changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeString } from '../../server/src/engine/bars/time';
import { OrderRefused, PaperBook, type Quote } from '../../server/src/modules/trading/book';

const SYMBOLS = [
  { symbol: '600000.SH', name: '浦发银行', pct: 0.1, start: 1000 },
  { symbol: '300750.SZ', name: '宁德时代', pct: 0.2, start: 18_000 },
  { symbol: '688981.SH', name: '中芯国际', pct: 0.2, start: 4_500 },
] as const;

type Step =
  | { kind: 'order'; s: number; side: 'buy' | 'sell'; type: 'market' | 'limit'; lots: number; odd: number; offsetBps: number }
  | { kind: 'quote'; s: number; moveBps: number; volume: number }
  | { kind: 'cancel'; nth: number }
  | { kind: 'minutes'; n: number }
  | { kind: 'day' }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('order' as const), s: fc.nat(2), side: fc.constantFrom('buy' as const, 'buy' as const, 'sell' as const), type: fc.constantFrom('market' as const, 'limit' as const), lots: fc.integer({ min: 1, max: 10 }), odd: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) }), offsetBps: fc.integer({ min: -300, max: 300 }) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('quote' as const), s: fc.nat(2), moveBps: fc.integer({ min: -400, max: 400 }), volume: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 1e7 }) }, { weight: 1, arbitrary: fc.constant(0) }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), nth: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('minutes' as const), n: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'day' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

const fen = (yuan: number): number => Math.round(yuan * 100);
const known = () => undefined;
const DAY = 86_400;

describe('paper trading ledger (property)', () => {
  it('cash = initial + Σ fill cash flows to the fen, every step and every day; T+1; restarts change nothing', () => {
    const seen = { buys: 0, sells: 0, refused: new Set<string>(), days: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_00 }), fc.integer({ min: 0, max: 30 }), fc.array(step, { minLength: 200, maxLength: 400 }), (initialCashFen, slippageBps, steps) => {
        const row = { id: 1, name: 'p', mode: 'live' as const, slippage_bps: slippageBps, initial_cash_fen: initialCashFen, created_at: '2024-06-17T00:00:00.000Z' };
        // The store the service keeps in SQLite: the head, and history rows by sequence.
        const db = { head: PaperBook.initialState(initialCashFen, slippageBps), orders: [] as string[], fills: [] as string[], ledger: [] as string[] };
        let book = new PaperBook({ ...row, state: db.head });
        let day = parseTimeString('2024-06-17')!; // a Monday
        let minute = 9 * 60 + 28;
        const price: number[] = SYMBOLS.map((s) => s.start);
        const prevClose: number[] = SYMBOLS.map((s) => s.start);
        const boughtToday = new Map<string, number>();
        const iso = () => new Date((day + minute * 60 - 8 * 3600) * 1000).toISOString();
        const wall = () => day + minute * 60;
        const store = () => {
          if (!book.changed && !book.dirty) return;
          const c = book.changes();
          db.head = c.head;
          for (const r of c.orders) db.orders[r.seq] = r.data;
          for (const r of c.fills) db.fills[r.seq] = r.data;
          for (const r of c.ledger) db.ledger[r.seq] = r.data;
        };

        const check = () => {
          const account = book.account();
          const fills = book.fills({});
          const flows = fills.reduce((sum, f) => sum + fen(f.cashFlow), 0);
          expect(fen(account.cash)).toBe(initialCashFen + flows);
          expect(book.reconciles()).toBe(true);
          expect(account.cash).toBeGreaterThanOrEqual(0);
          for (const p of book.positions()) {
            expect(p.available).toBeGreaterThanOrEqual(0);
            expect(p.available).toBe(p.quantity - (boughtToday.get(p.symbol) ?? 0));
          }
        };
        const track = (events: ReturnType<PaperBook['onQuote']>) => {
          for (const e of events) {
            if (e.kind !== 'fill') continue;
            seen[e.fill.side === 'buy' ? 'buys' : 'sells']++;
            if (e.fill.side === 'buy') boughtToday.set(e.fill.symbol, (boughtToday.get(e.fill.symbol) ?? 0) + e.fill.quantity);
          }
        };

        for (const s of steps) {
          switch (s.kind) {
            case 'order': {
              const def = SYMBOLS[s.s]!;
              const quantity = s.lots * (def.symbol.startsWith('688') ? 200 : 100) + s.odd;
              try {
                const moved = book.orderDay(wall(), known, iso());
                if (moved.day !== day) boughtToday.clear(); // the account moved to the next day: T+1 settled
                store();
                book.submit({ symbol: def.symbol, side: s.side, type: s.type, quantity, ...(s.type === 'limit' ? { limitPrice: Math.max(1, Math.round(price[s.s]! * (1 + s.offsetBps / 10_000))) / 100 } : {}) }, iso());
              } catch (err) {
                if (!(err instanceof OrderRefused)) throw err;
                seen.refused.add(err.reason);
              }
              store();
              break;
            }
            case 'quote': {
              const def = SYMBOLS[s.s]!;
              const up = Math.round(prevClose[s.s]! * (1 + def.pct));
              const down = Math.round(prevClose[s.s]! * (1 - def.pct));
              price[s.s] = Math.min(up, Math.max(down, Math.round(price[s.s]! * (1 + s.moveBps / 10_000))));
              if (minute < 15 * 60) minute++;
              if (minute < 9 * 60 + 30 || minute > 15 * 60) break; // the service passes only quotes inside a session
              const q: Quote = {
                symbol: def.symbol,
                name: def.name,
                price: price[s.s]! / 100,
                prevClose: prevClose[s.s]! / 100,
                volume: s.volume,
                change: 0,
                changePercent: 0,
                time: '',
                source: 'sina',
                stale: false,
              };
              track(book.onQuote(q, wall(), known, iso()));
              store();
              break;
            }
            case 'cancel': {
              const open = book.orders({ status: 'open' });
              if (open.length > 0) {
                const r = book.cancel(open[s.nth % open.length]!.id, iso());
                expect(Array.isArray(r)).toBe(true);
              }
              store();
              break;
            }
            case 'minutes':
              minute = Math.min(minute + s.n, 15 * 60 + 30);
              book.advance(wall(), known, iso());
              store();
              break;
            case 'day': {
              minute = 15 * 60 + 5;
              book.advance(wall(), known, iso());
              store();
              check(); // the day's end
              seen.days++;
              for (let i = 0; i < 3; i++) prevClose[i] = price[i]!;
              do day += DAY;
              while ([0, 6].includes(new Date(day * 1000).getUTCDay()));
              minute = 9 * 60 + 28;
              book.advance(wall(), known, iso()); // the next morning: T+1 settles
              boughtToday.clear();
              store();
              break;
            }
            case 'restart': {
              const before = { account: book.account(), orders: book.orders({}), fills: book.fills({}), positions: book.positions(), stats: book.statistics() };
              store();
              book = new PaperBook({ ...row, state: db.head }, db);
              expect({ account: book.account(), orders: book.orders({}), fills: book.fills({}), positions: book.positions(), stats: book.statistics() }).toEqual(before);
              break;
            }
          }
          check();
        }
      }),
      { numRuns: 30 },
    );
    // The sequences did trade: fills both ways over many days, and the rules refused orders.
    expect(seen.buys).toBeGreaterThan(250);
    expect(seen.sells).toBeGreaterThan(60);
    expect(seen.days).toBeGreaterThan(300);
    expect([...seen.refused]).toEqual(expect.arrayContaining(['insufficient-available-position', 'insufficient-position', 'lot-size']));
  });
});
