import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus from 'element-plus';
import { i18n, setLocale } from '@/plugins/i18n';
import { useDataStore } from '../store';
import ImportWizard from './ImportWizard.vue';

let wrapper: VueWrapper | undefined;

beforeEach(() => {
  setActivePinia(createPinia());
  setLocale('en');
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  delete window.mystocksDesktop;
});

const mountWizard = () => (wrapper = mount(ImportWizard, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body }));

describe('ImportWizard path', () => {
  it('offers Browse only in the desktop app, where it fills the path from the native dialog', async () => {
    mountWizard();
    expect(wrapper!.find('[data-testid="data-import-browse"]').exists()).toBe(false);
    wrapper!.unmount();

    const choosePath = vi.fn().mockResolvedValueOnce('/home/me/new_tdx/vipdoc').mockResolvedValueOnce(null).mockResolvedValueOnce('/home/me/a.csv');
    window.mystocksDesktop = { serverInfo: vi.fn(), choosePath, appVersion: '0.1.0' };
    mountWizard();
    const browse = wrapper!.find('[data-testid="data-import-browse"]');
    expect(browse.text()).toBe('Browse…');
    await browse.trigger('click');
    await flushPromises();
    const store = useDataStore();
    expect(choosePath).toHaveBeenLastCalledWith({ kind: 'folder' });
    expect(store.path).toBe('/home/me/new_tdx/vipdoc');

    // Cancelled: the path stays.
    await browse.trigger('click');
    await flushPromises();
    expect(store.path).toBe('/home/me/new_tdx/vipdoc');

    store.setKind('csv');
    await flushPromises();
    await wrapper!.find('[data-testid="data-import-browse"]').trigger('click');
    await flushPromises();
    expect(choosePath).toHaveBeenLastCalledWith({ kind: 'file', extensions: ['csv', 'txt'] });
    expect(store.path).toBe('/home/me/a.csv');
  });
});
