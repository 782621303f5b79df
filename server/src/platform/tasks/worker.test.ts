/** taskWorker in process: what a run's worker is given besides its params, and its end message. */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { taskWorker, type TaskRun } from './worker';

function runWith(context?: Record<string, string>): Promise<unknown[]> {
  const { port1, port2 } = new MessageChannel();
  const messages: unknown[] = [];
  const ended = new Promise<unknown[]>((resolve) =>
    port1.on('message', (m: unknown) => {
      messages.push(m);
      if (m && typeof m === 'object' && '$end' in m) {
        port1.close();
        resolve(messages);
      }
    }),
  );
  const handler = taskWorker<{ n: number }>(({ params, context: ctx, post }) => {
    post({ n: params.n, ctx });
    return { state: 'succeeded' };
  });
  const task: TaskRun<{ n: number }> = { taskId: 't1', params: { n: 7 }, dbFile: ':memory:', port: port2, cancel: new SharedArrayBuffer(4), ...(context ? { context } : {}) };
  void handler(task);
  return ended;
}

describe('taskWorker', () => {
  it('hands the run its kind’s context, or {} when the kind has none, then ends with the outcome', async () => {
    expect(await runWith({ trialWorkerPath: '/x/trial-worker.js' })).toEqual([{ n: 7, ctx: { trialWorkerPath: '/x/trial-worker.js' } }, { $end: { state: 'succeeded' } }]);
    expect(await runWith()).toEqual([{ n: 7, ctx: {} }, { $end: { state: 'succeeded' } }]);
  });
});
