/**
 * bench:optimize's distributed floor, the worker side: a bare BullMQ Worker (concurrency 1) on the
 * floor queue whose job is `workMs` of busy CPU on a worker thread (as a trial runs on a trial
 * thread, the event loop free). No dataset, no trial code, no result beyond a small string: what
 * BullMQ over a loopback Redis costs by itself. Args: <redisUrl> <queue>.
 */
import { Worker as ThreadWorker } from 'node:worker_threads';
import { Worker } from 'bullmq';
import { BURN } from './bullmq-floor.mjs';

const [redisUrl, queue] = process.argv.slice(2);
const thread = new ThreadWorker(BURN, { eval: true });
const burn = (ms) => new Promise((resolve) => (thread.once('message', resolve), thread.postMessage(ms)));
const worker = new Worker(queue, async (job) => String(await burn(job.data.workMs)), { connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency: 1 });
await worker.waitUntilReady();
process.stdout.write('floor worker ready\n');
process.on('SIGTERM', async () => {
  await worker.close();
  await thread.terminate();
  process.exit(0);
});
