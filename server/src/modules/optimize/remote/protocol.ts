/**
 * What the coordinator (redis-executor.ts) and remote workers (remote/worker.ts) agree on over
 * Redis (docs/ARCHITECTURE.md, "Distributed trials"): the BullMQ queue, the job ids and data, the
 * keys of shipped datasets, the cancel channel and the worker registry, and the encoding of a
 * batch's results as a job's return value.
 *
 * A return value travels as JSON, which would turn NaN and ±Infinity into null, -0 into 0 and a
 * Float64Array into an object; results must be identical to a local run's (structured clone keeps
 * all of these), so `encodeResult` tags them and `decodeResult` restores them bit for bit.
 */
import { createHash } from 'node:crypto';
import type { OptimizationConfig } from '../config';
import type { TrialInput, TrialResult } from '../trial';

/** The one queue every optimization's trials go through (the optimization is in the job id). */
export const TRIAL_QUEUE = 'mystocks-trials';
/**
 * A shipped dataset: the bytes of encodeDataset, by their SHA-256 (the dataset id). Not by the bars'
 * fingerprint alone: the fingerprint hashes the bars with their history, so two ranges of the same
 * symbol share it while their datasets (start, end, bars counted) differ.
 */
export const datasetKey = (datasetId: string): string => `mystocks:dataset:${datasetId}`;
/** A dataset stays this long after its last use by a coordinator (refreshed while it runs). */
export const DATASET_TTL_SECONDS = 3600;
/** Pub/sub channel: a message is the runId of a cancelled run. */
export const CANCEL_CHANNEL = 'mystocks:cancel';
/** Worker registry: one key per live worker process, refreshed well within its TTL. */
export const WORKER_KEY_PREFIX = 'mystocks:worker:';
export const WORKER_TTL_SECONDS = 15;
/** A trial failed because its run was cancelled (the failure reason; not retried). */
export const CANCELLED_REASON = 'cancelled';

/**
 * A batch's job id (dispatch.ts makes the batches): optimization, dataset id (a resumed run on
 * changed bars must not pick up an old job), the first trial's index and a hash of every index (and
 * the walk-forward window). The same batch of the same data is one job however often a run is
 * retried; a resumed run batches what is left differently, so its jobs are new ones.
 */
export function trialJobId(optimizationId: string, datasetId: string, trials: TrialInput[]): string {
  const w = trials[0]!.window;
  // A walk-forward window's trial is another job than the whole range's trial of the same index.
  const window = w ? `_${w.start}_${w.end}${w.series ? '_s' : ''}` : '';
  const indices = createHash('sha256').update(trials.map((t) => t.index).join(',')).digest('hex').slice(0, 12);
  // `_`, not `:`: BullMQ refuses custom ids with a colon (but for a legacy three-part form).
  return `${optimizationId}_${datasetId.slice(0, 16)}_${trials[0]!.index}x${trials.length}_${indices}${window}`;
}

export interface TrialJobData {
  /** One attempt of one optimization (cancel names it). */
  runId: string;
  /** The coordinator's engine; a worker of another engine refuses the job (results would differ). */
  engineVersion: string;
  /** The shipped dataset (datasetKey). */
  datasetId: string;
  config: OptimizationConfig;
  partitions: number;
  /** A batch of trials of one window (or of the whole range), run one after another. */
  trials: TrialInput[];
}

/** What a worker registers under WORKER_KEY_PREFIX + id. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  engineVersion: string;
  startedAt: string;
}

type Tagged = { $n: 'NaN' | 'Infinity' | '-Infinity' | '-0' } | { $f64: string };

function tagNumber(v: number): number | Tagged {
  if (Number.isNaN(v)) return { $n: 'NaN' };
  if (v === Infinity) return { $n: 'Infinity' };
  if (v === -Infinity) return { $n: '-Infinity' };
  if (Object.is(v, -0)) return { $n: '-0' };
  return v;
}

const NUMBERS = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 } as const;

export function encodeResults(results: TrialResult[]): string {
  return JSON.stringify(results, function (this: unknown, _key, value: unknown) {
    if (typeof value === 'number') return tagNumber(value);
    if (value instanceof Float64Array) return { $f64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    return value;
  });
}

export function decodeResults(text: string): TrialResult[] {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Partial<{ $n: keyof typeof NUMBERS; $f64: string }>;
      if (typeof v.$n === 'string' && Object.keys(v).length === 1) return NUMBERS[v.$n];
      if (typeof v.$f64 === 'string' && Object.keys(v).length === 1) {
        const bytes = Buffer.from(v.$f64, 'base64');
        const out = new Float64Array(bytes.length / 8);
        new Uint8Array(out.buffer).set(bytes);
        return out;
      }
    }
    return value;
  }) as TrialResult[];
}
