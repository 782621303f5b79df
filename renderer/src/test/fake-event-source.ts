/** A test double for EventSource: tests drive open, events and errors by hand. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was created');
    return source;
  }

  addEventListener(name: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  send(name: string, data: unknown, id: string): void {
    const event = new MessageEvent(name, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: id });
    // As in the browser: `onerror` is a listener of `error` events, server-sent ones included
    // (registered first, so it runs first).
    if (name === 'error') this.onerror?.(event);
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }

  /** A dropped connection (the browser would retry), or an HTTP error status (it gives up). */
  fail(kind: 'network' | 'http' = 'network'): void {
    this.readyState = kind === 'http' ? 2 : 0;
    this.onerror?.(new Event('error'));
  }

  get query(): URLSearchParams {
    return new URL(this.url, 'http://127.0.0.1').searchParams;
  }
}
