/**
 * Entry of a remote trial worker, `npm run worker -- --redis redis://host:6379 [--concurrency N]`
 * (built to out/main/worker.js like `serve`): see modules/optimize/remote/cli.ts. The trial threads
 * load workers/trial-worker.ts, built as its own chunk (`?modulePath`).
 */
import trialWorkerPath from './workers/trial-worker?modulePath';
import { runWorkerCli } from './modules/optimize/remote/cli';

runWorkerCli(process.argv.slice(2), trialWorkerPath).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
