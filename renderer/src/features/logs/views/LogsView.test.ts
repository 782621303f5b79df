import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus, { ElSelect } from 'element-plus';
import { queryLogs, type LogEntry, type LogQuery } from '@/api/system';
import { i18n, setLocale } from '@/plugins/i18n';
import { FakeEventSource } from '@/test/fake-event-source';
import { useLogsStore } from '../store';
import LogsView from './LogsView.vue';

vi.mock('@/api/system', () => ({ queryLogs: vi.fn() }));

const SSE_BASE = 1_800_000_000_000_000;

function entry(id: number, message = `line ${id}`, extra: Partial<LogEntry> & { launch?: number } = {}): LogEntry {
  const { launch = 1, ...rest } = extra;
  return { id, timestamp: new Date(Date.UTC(2026, 0, launch, 1, 2, 3, id)).toISOString(), level: 'INFO', module: 'system', message, ...rest };
}

/** The server's ring for the current launch, answered like the API (newest first, filtered). */
let serverEntries: LogEntry[] = [];
const rank = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

function answerQueries(): void {
  vi.mocked(queryLogs).mockImplementation(async (query: LogQuery) => {
    const q = query.q?.toLowerCase();
    const items = serverEntries
      .filter((e) => rank[e.level] >= rank[query.level ?? 'DEBUG'])
      .filter((e) => !q || e.message.toLowerCase().includes(q) || e.module.toLowerCase().includes(q))
      .reverse()
      .slice(0, query.pageSize ?? 100);
    return { items, pagination: { page: 1, pageSize: query.pageSize ?? 100, total: items.length } };
  });
}

let wrapper: VueWrapper | undefined;

async function mountView(): Promise<VueWrapper> {
  wrapper = mount(LogsView, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

/** Opens the stream as the server would and lets history load. */
async function openStream(): Promise<FakeEventSource> {
  const source = FakeEventSource.latest();
  source.open();
  await flushPromises();
  return source;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets the store's batched flush (50 ms) and the re-render happen. */
async function settle(): Promise<void> {
  await wait(70);
  await flushPromises();
}

const rowTexts = (w: VueWrapper) => w.findAll('[data-testid="logs-row"]').map((r) => r.find('.message').text());
const press = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  setActivePinia(createPinia());
  setLocale('zh-CN');
  serverEntries = [entry(1, 'server ready'), entry(2, 'Server listening'), entry(3, 'settings updated', { context: { changed: ['theme'] } })];
  vi.mocked(queryLogs).mockReset();
  answerQueries();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.unstubAllGlobals();
});

describe('LogsView', () => {
  it('loads recent history once the stream is open, then tails it live', async () => {
    const w = await mountView();
    expect(FakeEventSource.latest().url).toBe('/api/stream/logs?level=DEBUG');
    expect(w.get('[data-testid="logs-connection"]').attributes('data-state')).toBe('connecting');
    expect(queryLogs).not.toHaveBeenCalled(); // history waits for the stream: nothing falls between

    const source = await openStream();
    expect(queryLogs).toHaveBeenCalledWith({ level: 'DEBUG', pageSize: 1000 });
    await settle();
    expect(w.get('[data-testid="logs-connection"]').text()).toContain('实时');
    expect(rowTexts(w)).toEqual(['server ready', 'Server listening', 'settings updated']);

    // An entry already loaded with history arrives live too: shown once.
    source.send('log', entry(3, 'settings updated', { context: { changed: ['theme'] } }), String(SSE_BASE + 3));
    source.send('log', entry(4, 'settings reset to defaults'), String(SSE_BASE + 4));
    await settle();
    expect(rowTexts(w)).toEqual(['server ready', 'Server listening', 'settings updated', 'settings reset to defaults']);
    expect(useLogsStore().resumeId).toBe(String(SSE_BASE + 4));

    const row = w.findAll('[data-testid="logs-row"]')[3]!;
    expect(row.find('.time').text()).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(row.find('.level').text()).toBe('INFO');
    expect(row.find('.module').text()).toBe('system');
  });

  it('coming back to the page resumes the stream after the last id, keeping the lines', async () => {
    const w = await mountView();
    const source = await openStream();
    await settle();
    source.send('log', entry(4), String(SSE_BASE + 4));
    await settle();
    w.unmount();
    wrapper = undefined;
    expect(source.closed).toBe(true);

    const again = await mountView();
    expect(FakeEventSource.latest().query.get('lastEventId')).toBe(String(SSE_BASE + 4));
    vi.mocked(queryLogs).mockClear();
    const resumed = await openStream();
    expect(queryLogs).not.toHaveBeenCalled(); // the server replays what was missed
    resumed.send('log', entry(5), String(SSE_BASE + 5));
    await settle();
    expect(rowTexts(again)).toEqual(['server ready', 'Server listening', 'settings updated', 'line 4', 'line 5']);
  });

  it('marks a server restart with a divider and continues with the new launch', async () => {
    const w = await mountView();
    const source = await openStream();
    await settle();

    // The server restarted: the resumed stream answers `reset`; its history is the new launch's.
    serverEntries = [entry(1, 'server ready', { launch: 2 }), entry(2, 'Server listening', { launch: 2 })];
    source.send('reset', { reason: 'too-old', requestedId: String(SSE_BASE + 3), oldestId: SSE_BASE + 9_000_001, latestId: SSE_BASE + 9_000_002 }, String(SSE_BASE + 9_000_002));
    await flushPromises();
    source.send('log', entry(3, 'settings updated', { launch: 2 }), String(SSE_BASE + 9_000_003));
    await settle();

    expect(w.findAll('[data-testid="logs-divider"]')).toHaveLength(1);
    expect(w.get('[data-testid="logs-divider"]').text()).toContain('服务已重启，日志继续');
    expect(rowTexts(w)).toEqual(['server ready', 'Server listening', 'settings updated', 'server ready', 'Server listening', 'settings updated']);
  });

  it('pauses with P or Space, keeps what arrives, and shows it on resume', async () => {
    const w = await mountView();
    const source = await openStream();
    await settle();

    press('p');
    await flushPromises();
    expect(w.get('[data-testid="logs-pause"]').attributes('aria-pressed')).toBe('true');
    source.send('log', entry(4), String(SSE_BASE + 4));
    source.send('log', entry(5), String(SSE_BASE + 5));
    await settle();
    expect(rowTexts(w)).toHaveLength(3);
    expect(w.get('[data-testid="logs-held"]').text()).toBe('2 条新日志');

    press(' ');
    await settle();
    expect(w.get('[data-testid="logs-pause"]').attributes('aria-pressed')).toBe('false');
    expect(rowTexts(w).slice(-2)).toEqual(['line 4', 'line 5']);
  });

  it('"/" focuses the search; matches are filtered, highlighted and looked up on the server', async () => {
    serverEntries = [entry(1, 'settings updated'), ...Array.from({ length: 5 }, (_, i) => entry(i + 2, 'request')), entry(7, 'settings reset')];
    const w = await mountView();
    const source = await openStream();
    await settle();

    press('/');
    const input = w.get<HTMLInputElement>('input[data-testid="logs-search"]');
    expect(document.activeElement).toBe(input.element);
    input.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true })); // typing, not a shortcut
    await flushPromises();
    expect(w.get('[data-testid="logs-pause"]').attributes('aria-pressed')).toBe('false');

    await input.setValue('Settings');
    await wait(150); // the held lines are filtered once typing pauses
    await settle();
    expect(rowTexts(w)).toEqual(['settings updated', 'settings reset']);
    expect(w.findAll('mark').map((m) => m.text())).toEqual(['settings', 'settings']);
    await wait(300);
    expect(queryLogs).toHaveBeenLastCalledWith({ level: 'DEBUG', q: 'Settings', pageSize: 1000 });

    source.send('log', entry(8, 'request'), String(SSE_BASE + 8));
    source.send('log', entry(9, 'settings updated'), String(SSE_BASE + 9));
    await settle();
    expect(rowTexts(w)).toEqual(['settings updated', 'settings reset', 'settings updated']);
  });

  it('a level change reloads history and reconnects the stream at that level', async () => {
    serverEntries = [entry(1, 'fine'), entry(2, 'broken', { level: 'ERROR' })];
    const w = await mountView();
    await openStream();
    await settle();
    expect(rowTexts(w)).toEqual(['fine', 'broken']);

    const select = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'logs-level')!;
    select.vm.$emit('update:modelValue', 'ERROR');
    await flushPromises();
    expect(FakeEventSource.instances[0]!.closed).toBe(true);
    expect(FakeEventSource.latest().query.get('level')).toBe('ERROR');
    expect(FakeEventSource.latest().query.has('lastEventId')).toBe(false);
    await openStream();
    await settle();
    expect(queryLogs).toHaveBeenLastCalledWith({ level: 'ERROR', pageSize: 1000 });
    expect(rowTexts(w)).toEqual(['broken']);
    expect(w.findAll('[data-testid="logs-row"]').map((r) => r.attributes('data-level'))).toEqual(['ERROR']);
  });

  it('shows the selected entry with its context, and closes it with Escape', async () => {
    const w = await mountView();
    await openStream();
    await settle();

    await w.findAll('[data-testid="logs-row"]')[2]!.trigger('click');
    expect(w.get('[data-testid="logs-context"]').text()).toContain('"changed"');
    expect(w.get('[data-testid="logs-copy-selected"]').attributes('disabled')).toBeUndefined();
    press('Escape');
    await flushPromises();
    expect(w.find('[data-testid="logs-details"]').exists()).toBe(false);
  });

  it('renders only the rows in view, even for 100,000 lines', async () => {
    serverEntries = [];
    const w = await mountView();
    await openStream();
    await settle();
    const store = useLogsStore();
    const token = store.beginSnapshot();
    store.applySnapshot(token, Array.from({ length: 100_000 }, (_, i) => entry(100_000 - i)), 'open');
    await settle();

    const rendered = w.findAll('[data-testid="logs-row"]').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);
    expect(w.get('[data-testid="logs-count"]').text()).toBe('100,000 行');
  });
});
