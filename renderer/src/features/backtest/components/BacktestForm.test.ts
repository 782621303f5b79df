import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia } from 'pinia';
import { ref } from 'vue';
import type { BacktestRequest, StrategyInfo } from '@/api/backtest';
import { ApiError } from '@/api/errors';
import { i18n } from '@/plugins/i18n';
import { defaultForm, type BacktestForm as Form } from '../form';
import BacktestForm from './BacktestForm.vue';

vi.mock('element-plus', async (original) => ({ ...(await original<typeof ElementPlusModule>()), ElMessage: vi.fn() }));
vi.mock('@/api/watchlists', () => ({ listWatchlists: vi.fn(async () => []) }));
vi.mock('@/api/market', () => ({ searchInstruments: vi.fn(async () => []) }));

const dualMa: StrategyInfo = {
  id: 'dual-ma',
  name: { zh: '双均线交叉', en: 'Dual moving-average cross' },
  description: { zh: '快线上穿慢线买入', en: 'Buys on a golden cross' },
  params: [
    { name: 'fast', label: { zh: '快线周期', en: 'Fast period' }, type: 'integer', default: 5, min: 2, max: 250 },
    { name: 'slow', label: { zh: '慢线周期', en: 'Slow period' }, type: 'integer', default: 20, min: 3, max: 500 },
  ],
  presets: [{ name: '10/30', params: { fast: 10, slow: 30 } }],
  constraints: ['fast < slow'],
  multiSymbol: false,
};

let wrapper: VueWrapper | undefined;
let submit: ReturnType<typeof vi.fn<(request: BacktestRequest) => Promise<void>>>;
const form = ref<Form>(defaultForm(new Date(2025, 8, 30), dualMa));

function mountForm(): VueWrapper {
  wrapper = mount(BacktestForm, {
    props: { strategies: [dualMa], submit, modelValue: form.value, 'onUpdate:modelValue': (v: Form) => (form.value = v) },
    // The date pickers and the watchlist menu are Element Plus's own business and slow to mount.
    global: { plugins: [createPinia(), i18n, ElementPlus], stubs: { ElDatePicker: true, ElDropdown: true } },
    attachTo: document.body,
  });
  return wrapper;
}

beforeEach(() => {
  submit = vi.fn(async () => undefined);
  form.value = defaultForm(new Date(2025, 8, 30), dualMa);
});
afterEach(() => wrapper?.unmount());

const errors = () => [...document.querySelectorAll('.el-form-item__error')].map((e) => e.textContent?.trim());

// Mounting the whole form (Element Plus inputs) is slow on a loaded machine: the first mount pays for the imports.
describe('BacktestForm', { timeout: 20_000 }, () => {
  // Enter in a field submitting the form is the browser's (implicit submission): tests/e2e/backtest.spec.ts.
  it('sends the request the form describes when submitted', async () => {
    form.value.symbols = ['600519.SH'];
    const w = mountForm();
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(submit).toHaveBeenCalledTimes(1);
    expect(submit.mock.calls[0]![0]).toMatchObject({ strategy: 'dual-ma', symbols: ['600519.SH'], params: { fast: 5, slow: 20 }, benchmark: '000001.SH' });
  });

  it('does not send what it can tell is wrong, and says where', async () => {
    form.value.params = { fast: 30, slow: 20 };
    const w = mountForm();
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(submit).not.toHaveBeenCalled();
    expect(errors()).toContain('请至少选择一只证券');
    const rule = w.get('[data-testid="strategy-constraint"]');
    expect(rule.attributes('data-ok')).toBe('false');
    expect(rule.text()).toBe('fast < slow不满足');
  });

  it('applies a preset in one click', async () => {
    const w = mountForm();
    await w.get('[data-testid="preset-10/30"]').trigger('click');
    expect(form.value.params).toEqual({ fast: 10, slow: 30 });
  });

  it("shows the server's validation details next to the fields they name", async () => {
    form.value.symbols = ['600519.SH'];
    submit.mockRejectedValue(
      new ApiError({ code: 1001, message: '参数校验失败', status: 422, details: [{ field: 'body.costs.minCommission', message: 'must be <= 100' }, { field: 'body.riskFree', message: 'too high' }] }),
    );
    const w = mountForm();
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(errors()).toContain('must be <= 100');
    expect(w.get('ul.other-errors').text()).toContain('body.riskFree: too high');
  });
});
