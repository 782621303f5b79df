import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { defineComponent, ref, shallowRef, type Ref } from 'vue';
import { ApiError } from '@/api/errors';
import { calculateIndicators, type Calculation, type ChartIndicators, type IndicatorUse } from '@/api/indicators';
import type { KlineQuery } from '@/api/market';
import { i18n, setLocale } from '@/plugins/i18n';
import { CATALOG } from '@/test/indicators';
import type { IndicatorView } from '../chart/panes';
import { fromKline, type BarSeries } from '../chart/series';
import { useIndicatorValues } from './useIndicatorValues';

vi.mock('@/api/indicators', () => ({ calculateIndicators: vi.fn() }));

const DAYS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
function bars(time: string[]): BarSeries {
  const close = time.map((_, i) => 10 + i);
  return fromKline({ time, open: close, high: close, low: close, close, volume: close, amount: close });
}
const FIRST: KlineQuery = { symbol: '600000.SH', period: 'day', adjust: 'none', limit: 4 };
const OLDER: KlineQuery = { symbol: '600000.SH', period: 'day', adjust: 'none', end: 'd2', limit: 5 };

/** The server: each output of each indicator is `100 × output index + bar index` over the page's bars. */
function answer(query: KlineQuery, uses: IndicatorUse[]): Calculation {
  const time = query.end ? DAYS.slice(0, DAYS.indexOf(query.end) + 1) : DAYS.slice(-query.limit!);
  const meta = CATALOG.find(uses[0]!.name, 'tdx')!;
  const outputs = Object.fromEntries(meta.outputs.map((o, k) => [o.name, time.map((t) => 100 * k + Number(t.slice(1)))]));
  return { count: time.length, time, results: [{ name: meta.name, convention: 'tdx', params: uses[0]!.params ?? {}, start: 0, outputs }] };
}

let wrapper: VueWrapper | undefined;
let series: Ref<BarSeries>;
let pages: Ref<readonly KlineQuery[]>;
let chart: Ref<ChartIndicators>;
let views: Ref<IndicatorView[]>;

function host(initial: ChartIndicators) {
  series = shallowRef(bars(DAYS.slice(2)));
  pages = shallowRef<readonly KlineQuery[]>([FIRST]);
  chart = ref(initial) as Ref<ChartIndicators>;
  wrapper = mount(
    defineComponent({
      setup() {
        views = useIndicatorValues({ series, pages, chart, catalog: shallowRef(CATALOG), ready: ref(true) }).views;
        return () => null;
      },
    }),
    { global: { plugins: [i18n] } },
  );
}
const byName = (name: string) => views.value.find((v) => v.name === name)!;
const values = (name: string, output: string) => Array.from(byName(name).outputs?.[output] ?? []);
const asked = () => vi.mocked(calculateIndicators).mock.calls.map(([q, uses, conv]) => `${uses[0]!.name}${JSON.stringify(uses[0]!.params)}@${conv}:${q.end ?? 'newest'}`);

beforeEach(() => {
  setLocale('zh-CN');
  vi.mocked(calculateIndicators)
    .mockReset()
    .mockImplementation(async (query, uses) => answer(query, uses));
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('useIndicatorValues', () => {
  it('asks once per indicator, for exactly the K-line query of the bars, and lines the values up', async () => {
    host({ convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'MA', params: { period: 10 } }] });
    expect(views.value.map((v) => [v.title, v.loading])).toEqual([
      ['MACD(12,26,9)', true],
      ['MA(10)', true],
    ]);
    await flushPromises();
    expect(calculateIndicators).toHaveBeenCalledWith(FIRST, [{ name: 'MACD', params: { fast: 12, slow: 26, signal: 9 } }], 'tdx', expect.objectContaining({ quiet: expect.arrayContaining([3000, 3002, 3003]) }));
    expect(asked()).toEqual(['MACD{"fast":12,"slow":26,"signal":9}@tdx:newest', 'MA{"period":10}@tdx:newest']);
    expect(values('MACD', 'dif')).toEqual([2, 3, 4, 5]);
    expect(values('MACD', 'macd')).toEqual([202, 203, 204, 205]);
    expect(byName('MACD').loading).toBe(false);
  });

  it('shows one indicator failing (not enough bars) in its own view; the others are drawn', async () => {
    vi.mocked(calculateIndicators).mockImplementation(async (query, uses) => {
      if (uses[0]!.name === 'MA') throw new ApiError({ code: 3002, message: '数据不足以计算该指标', details: [{ field: 'body.indicators[0]', message: 'MA needs at least 500 bars' }], status: 422 });
      return answer(query, uses);
    });
    host({ convention: 'tdx', indicators: [{ name: 'MA', params: { period: 500 } }, { name: 'KDJ' }] });
    await flushPromises();
    expect(byName('MA').error).toEqual({ code: 3002, message: '数据不足以计算该指标', detail: 'MA needs at least 500 bars' });
    expect(byName('MA').outputs).toBeNull();
    expect(values('KDJ', 'j')).toEqual([202, 203, 204, 205]);
  });

  it('asks only for an added or edited indicator, keeping the old values on screen meanwhile; forgets a removed one', async () => {
    host({ convention: 'tdx', indicators: [{ name: 'MACD' }] });
    await flushPromises();
    let finish!: () => void;
    vi.mocked(calculateIndicators).mockImplementation(
      (query, uses) => new Promise((resolve) => (finish = () => resolve({ ...answer(query, uses), results: [{ ...answer(query, uses).results[0]!, outputs: { dif: [9, 9, 9, 9], dea: [9, 9, 9, 9], macd: [9, 9, 9, 9] } }] }))),
    );
    chart.value = { convention: 'tdx', indicators: [{ name: 'MACD', params: { fast: 10 } }] };
    await flushPromises();
    expect(byName('MACD').title).toBe('MACD(10,26,9)');
    expect(byName('MACD').loading).toBe(true);
    expect(values('MACD', 'dif')).toEqual([2, 3, 4, 5]); // the old values until the new ones come
    finish();
    await flushPromises();
    expect(values('MACD', 'dif')).toEqual([9, 9, 9, 9]);
    expect(calculateIndicators).toHaveBeenCalledTimes(2);

    vi.mocked(calculateIndicators).mockImplementation(async (query, uses) => answer(query, uses));
    chart.value = { convention: 'tdx', indicators: [{ name: 'MACD', params: { fast: 10 } }, { name: 'KDJ' }] };
    await flushPromises();
    expect(calculateIndicators).toHaveBeenCalledTimes(3);
    chart.value = { convention: 'tdx', indicators: [{ name: 'KDJ' }] };
    await flushPromises();
    expect(calculateIndicators).toHaveBeenCalledTimes(3);
    expect(views.value.map((v) => v.name)).toEqual(['KDJ']);
  });

  it('asks again for a new series, and only for the new page when older bars are put in front', async () => {
    host({ convention: 'tdx', indicators: [{ name: 'KDJ' }] });
    await flushPromises();
    // Older bars: d0…d2, merged in front of d2…d5.
    series.value = bars(DAYS);
    pages.value = [FIRST, OLDER];
    await flushPromises();
    expect(asked()).toEqual(['KDJ{"n":9,"m1":3,"m2":3}@tdx:newest', 'KDJ{"n":9,"m1":3,"m2":3}@tdx:d2']);
    expect(values('KDJ', 'k')).toEqual([0, 1, 2, 3, 4, 5]);

    // Another period: everything again.
    series.value = bars(DAYS.slice(2));
    pages.value = [{ ...FIRST, period: 'week' }];
    await flushPromises();
    expect(calculateIndicators).toHaveBeenCalledTimes(3);
    expect(vi.mocked(calculateIndicators).mock.calls[2]![0]).toEqual({ ...FIRST, period: 'week' });
    expect(values('KDJ', 'k')).toEqual([2, 3, 4, 5]);
  });

  it('drops the answer for a series no longer shown', async () => {
    let late!: () => void;
    vi.mocked(calculateIndicators).mockImplementationOnce((query, uses, _c, options) => {
      return new Promise((resolve, reject) => {
        late = () => resolve(answer(query, uses));
        options?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    });
    host({ convention: 'tdx', indicators: [{ name: 'KDJ' }] });
    await flushPromises();
    const signal = vi.mocked(calculateIndicators).mock.calls[0]![3]!.signal!;
    pages.value = [{ ...FIRST, adjust: 'qfq' }];
    await flushPromises();
    expect(signal.aborted).toBe(true);
    late();
    await flushPromises();
    expect(values('KDJ', 'k')).toEqual([2, 3, 4, 5]);
    expect(byName('KDJ').error).toBeNull();
  });

  it('says which indicators the registry does not know, without asking the server', async () => {
    host({ convention: 'talib', indicators: [{ name: 'NOPE' }, { name: 'KDJ', convention: 'tdx' }] });
    await flushPromises();
    expect(asked()).toEqual(['KDJ{"n":9,"m1":3,"m2":3}@tdx:newest']);
    expect(byName('NOPE').error).toMatchObject({ code: 3000, message: 'TA-Lib口径中没有此指标' });
    expect(byName('KDJ').convention).toBe('tdx');
  });
});
