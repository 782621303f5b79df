import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createRouter, createMemoryHistory, type Router } from 'vue-router';
import { defineComponent, h } from 'vue';
import { searchInstruments, type Instrument } from '@/api/market';
import { i18n, setLocale } from '@/plugins/i18n';
import { useGenie } from '../genie';
import SymbolGenie from './SymbolGenie.vue';

vi.mock('@/api/market', () => ({ searchInstruments: vi.fn() }));

const instrument = (symbol: string, name: string, pinyin: string): Instrument => ({
  symbol,
  code: symbol.slice(0, 6),
  exchange: symbol.slice(7) as Instrument['exchange'],
  name,
  pinyin,
  kind: 'stock',
  board: 'main',
  isSt: false,
});
const CATALOG = [
  instrument('600000.SH', '浦发银行', 'pfyh'),
  instrument('000001.SZ', '平安银行', 'payh'),
  instrument('601009.SH', '南京银行', 'njyh'),
  instrument('600036.SH', '招商银行', 'zsyh'),
];

const Blank = defineComponent({ render: () => h('div') });
let wrapper: VueWrapper | undefined;
let router: Router;

async function mountGenie(): Promise<VueWrapper> {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/market/:symbol?', name: 'market', component: Blank },
    ],
  });
  await router.push('/');
  wrapper = mount(SymbolGenie, { global: { plugins: [router, i18n] }, attachTo: document.body });
  return wrapper;
}

const input = () => document.querySelector<HTMLInputElement>('[data-testid="genie-input"]');
const options = () => [...document.querySelectorAll<HTMLElement>('[data-testid="genie-option"]')];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets the deferred open (setTimeout 0), the debounce (120 ms) and the search settle. */
async function settle(): Promise<void> {
  await wait(160);
  await flushPromises();
}

function keydown(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

beforeEach(() => {
  setLocale('zh-CN');
  vi.mocked(searchInstruments).mockReset();
  vi.mocked(searchInstruments).mockImplementation(async (q: string) => {
    const needle = q.toLowerCase();
    return CATALOG.filter((i) => i.symbol.startsWith(q) || i.pinyin.startsWith(needle) || i.name.includes(q));
  });
});
afterEach(() => {
  useGenie().hide();
  wrapper?.unmount();
  wrapper = undefined;
});

describe('SymbolGenie', () => {
  it('opens when a letter is typed outside any field, with that letter, and searches as you type', async () => {
    await mountGenie();
    expect(input()).toBeNull();

    keydown('p');
    await settle();
    expect(input()?.value).toBe('p');
    expect(document.activeElement).toBe(input());
    expect(searchInstruments).toHaveBeenLastCalledWith('p', 12, expect.anything());
    expect(options().map((o) => o.dataset.symbol)).toEqual(['600000.SH', '000001.SZ']); // pfyh, payh

    const el = input()!;
    el.value = 'pfyh';
    el.dispatchEvent(new Event('input'));
    await settle();
    expect(options().map((o) => o.dataset.symbol)).toEqual(['600000.SH']);
    expect(options()[0]!.textContent).toContain('浦发银行');
  });

  it('keeps the characters typed before its input had the focus', async () => {
    await mountGenie();
    keydown('6');
    keydown('0'); // same task as the first: both are buffered
    await settle();
    expect(input()?.value).toBe('60');
    expect(options().map((o) => o.dataset.symbol)).toEqual(['600000.SH', '601009.SH', '600036.SH']);
    useGenie().hide();
    await flushPromises();

    // A full symbol typed fast: the dot comes in before the input has the focus.
    for (const key of '600000.SH') keydown(key);
    await settle();
    expect(input()?.value).toBe('600000.SH');
    expect(options().map((o) => o.dataset.symbol)).toEqual(['600000.SH']);
  });

  it('does not open for a lone punctuation key', async () => {
    await mountGenie();
    keydown('.');
    keydown(' ');
    await settle();
    expect(input()).toBeNull();
  });

  it('shows the matches of what was typed', async () => {
    await mountGenie();
    keydown('6');
    keydown('0');
    await settle();
    expect(options().map((o) => o.dataset.symbol)).toEqual(['600000.SH', '601009.SH', '600036.SH']);
  });

  it('leaves keys typed in a field, and keys a page claimed, alone', async () => {
    await mountGenie();
    const field = document.createElement('input');
    document.body.appendChild(field);
    keydown('p', {}, field);
    await settle();
    expect(input()).toBeNull();
    field.remove();

    // The Log Viewer's P: its own handler calls preventDefault.
    const claim = (event: KeyboardEvent) => event.preventDefault();
    window.addEventListener('keydown', claim);
    keydown('p');
    await settle();
    window.removeEventListener('keydown', claim);
    expect(input()).toBeNull();

    keydown('a', { altKey: true });
    keydown('Enter');
    await settle();
    expect(input()).toBeNull();
  });

  it('opens empty with Ctrl+K', async () => {
    await mountGenie();
    const event = keydown('k', { ctrlKey: true });
    expect(event.defaultPrevented).toBe(true);
    await settle();
    expect(input()?.value).toBe('');
    expect(searchInstruments).not.toHaveBeenCalled();
  });

  it('↑/↓ move the choice, Enter opens the Market page of the chosen symbol and closes', async () => {
    await mountGenie();
    keydown('6');
    await settle();
    const el = input()!;
    const selected = () => options().findIndex((o) => o.getAttribute('aria-selected') === 'true');
    expect(selected()).toBe(0);
    keydown('ArrowDown', {}, el);
    await flushPromises();
    expect(selected()).toBe(1);
    expect(el.getAttribute('aria-activedescendant')).toBe('genie-option-1');
    keydown('ArrowUp', {}, el);
    keydown('ArrowUp', {}, el); // wraps around to the last
    await flushPromises();
    expect(selected()).toBe(2);

    keydown('Enter', {}, el);
    await settle();
    expect(router.currentRoute.value.name).toBe('market');
    expect(router.currentRoute.value.params.symbol).toBe('600036.SH');
    expect(input()).toBeNull();
  });

  it('Enter right after typing waits for the search instead of dropping the choice', async () => {
    await mountGenie();
    keydown('p');
    await wait(10);
    await flushPromises();
    const el = input()!;
    el.value = 'pfyh';
    el.dispatchEvent(new Event('input'));
    keydown('Enter', {}, el); // before the debounce has fired
    await settle();
    expect(router.currentRoute.value.params.symbol).toBe('600000.SH');
  });

  it('puts the instrument whose full symbol was typed first', async () => {
    vi.mocked(searchInstruments).mockResolvedValue([instrument('000001.SZ', '平安银行', 'payh'), instrument('000001.SH', '上证指数', 'szzs')]);
    await mountGenie();
    keydown('0');
    await settle();
    const el = input()!;
    el.value = '000001.sh';
    el.dispatchEvent(new Event('input'));
    await settle();
    expect(options().map((o) => o.dataset.symbol)).toEqual(['000001.SH', '000001.SZ']);
  });

  it('Esc closes and gives the focus back', async () => {
    await mountGenie();
    const button = document.createElement('button');
    document.body.appendChild(button);
    button.focus();
    keydown('z', {}, button);
    await settle();
    expect(document.activeElement).toBe(input());
    keydown('Escape', {}, input()!);
    await flushPromises();
    expect(input()).toBeNull();
    expect(document.activeElement).toBe(button);
    button.remove();
  });
});
