/**
 * bench:optimize's distributed reference: `jobs` jobs, each `workMs` of busy CPU, run by two bare
 * BullMQ worker processes (bullmq-floor-worker.mjs) over the given Redis, against two bare worker
 * threads doing the same work locally — with the coordinator's window (2 × the workers in flight).
 * With one job a trial, the ratio is what BullMQ and a loopback Redis cost on this machine by
 * themselves when every trial is a job; the app batches trials (modules/optimize/dispatch.ts), so
 * it pays that price fewer times.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { Queue, QueueEvents } from 'bullmq';

/** A worker thread's code that busies its CPU for the milliseconds it is sent, then answers them. */
export const BURN = `const { parentPort } = require('node:worker_threads');
  parentPort.on('message', (ms) => { const end = performance.now() + ms; while (performance.now() < end); parentPort.postMessage(ms); });`;

/** Runs `jobs` units of `workMs` with at most `window` in flight on `run(unit)`; answers the wall time. */
async function windowed(jobs, window, run) {
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < jobs) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return performance.now() - t0;
}

export async function bullmqFloor({ redisUrl, jobs, workMs, runs }) {
  const queue = `mystocks-bench-floor-${process.pid}`;
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const workers = [1, 2].map(() => spawn(process.execPath, [path.join(import.meta.dirname, 'bullmq-floor-worker.mjs'), redisUrl, queue], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.stdout.on('data', (c) => String(c).includes('ready') && resolve()))));
  const q = new Queue(queue, { connection });
  const events = new QueueEvents(queue, { connection });
  await events.waitUntilReady();
  const waiting = new Map();
  events.on('completed', ({ jobId }) => waiting.get(jobId)?.());
  let id = 0;
  const remote = () =>
    new Promise((resolve) => {
      const jobId = `floor-${++id}`;
      waiting.set(jobId, () => (waiting.delete(jobId), resolve()));
      void q.add('work', { workMs }, { jobId, removeOnComplete: true, removeOnFail: true });
    });
  const threads = [1, 2].map(() => new ThreadWorker(BURN, { eval: true }));
  const free = [...threads];
  const local = async () => {
    const t = free.pop();
    await new Promise((resolve) => (t.once('message', resolve), t.postMessage(workMs)));
    free.push(t);
  };
  const localMs = [];
  const remoteMs = [];
  try {
    await windowed(jobs, 4, remote); // warm-up
    for (let i = 0; i < runs; i++) {
      localMs.push(await windowed(jobs, 2, local));
      remoteMs.push(await windowed(jobs, 4, remote));
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
    await events.close();
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.once('exit', resolve), w.kill('SIGTERM')))));
  }
  return { localMs, remoteMs };
}
