/**
 * A remote trial worker process for tests: `npm run worker`'s command line (remote/cli.ts) run with
 * tsx, its trial threads loading workers/trial-worker.ts. MYSTOCKS_TEST_HOLD_AT=N makes it hold its
 * N-th job (a batch of trials; a run's first batches are single trials, dispatch.ts), printing
 * `HOLD <jobId>`, until the run is cancelled — so a test can kill or cancel it while it certainly
 * has a trial in hand, without depending on timing.
 */
import { fileURLToPath } from 'node:url';
import { runWorkerCli } from '../../server/src/modules/optimize/remote/cli';

const holdAt = Number(process.env.MYSTOCKS_TEST_HOLD_AT ?? 0);
let started = 0;

runWorkerCli(process.argv.slice(2), fileURLToPath(new URL('../../server/src/workers/trial-worker.ts', import.meta.url)), {
  beforeJob: async (job, signal) => {
    if (++started !== holdAt) return;
    process.stdout.write(`HOLD ${job.id}\n`);
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
  },
}).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
