/**
 * The in-process event bus: typed topics where producers publish and consumers (the SSE hub, rule
 * evaluators, the Electron notifier) subscribe. Event names and payload types come from the
 * contracts (contracts/gen/sse-events.ts), so what is published is what streams carry.
 */
import type { SseEventName, SseEventPayloads, SseTopic } from '../../../contracts/gen/sse-events';

export interface BusMessage<N extends SseEventName = SseEventName> {
  topic: SseTopic;
  event: N;
  data: SseEventPayloads[N];
}

export type BusListener = (message: BusMessage) => void;

export class EventBus {
  private readonly listeners = new Map<SseTopic, Set<BusListener>>();

  subscribe(topic: SseTopic, listener: BusListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Delivers synchronously, in subscription order; a throwing listener does not stop the others. */
  publish<N extends SseEventName>(topic: SseTopic, event: N, data: SseEventPayloads[N]): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    const message = { topic, event, data } as BusMessage;
    for (const listener of set) {
      try {
        listener(message);
      } catch (err) {
        this.onListenerError(err, message);
      }
    }
  }

  /** Replaced by the server to log; never rethrows into the publisher. */
  onListenerError: (err: unknown, message: BusMessage) => void = () => undefined;
}
