/**
 * What the coordinator (redis-executor.ts) and remote workers (remote/worker.ts) agree on over
 * Redis (docs/ARCHITECTURE.md, "Distributed trials"): the BullMQ queue, the job ids and data, the
 * keys of shipped datasets, the cancel channel and the worker registry, and the encoding of a
 * trial's result as a job's return value.
 *
 * A return value travels as JSON, which would turn NaN and ±Infinity into null, -0 into 0 and a
 * Float64Array into an object; results must be identical to a local run's (structured clone keeps
 * all of these), so `encodeResult` tags them and `decodeResult` restores them bit for bit.
 */
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
 * A trial's job id: optimization, dataset id (a resumed run on changed bars must not pick up an old
 * job), index (and walk-forward window). The same trial of the same data is one job however often
 * a run is retried.
 */
export function trialJobId(optimizationId: string, datasetId: string, trial: TrialInput): string {
  const w = trial.window;
  // A walk-forward window's trial is another job than the whole range's trial of the same index.
  const window = w ? `_${w.start}_${w.end}${w.series ? '_s' : ''}` : '';
  // `_`, not `:`: BullMQ refuses custom ids with a colon (but for a legacy three-part form).
  return `${optimizationId}_${datasetId.slice(0, 16)}_${trial.index}${window}`;
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
  trial: TrialInput;
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

export function encodeResult(result: TrialResult): string {
  return JSON.stringify(result, function (this: unknown, _key, value: unknown) {
    if (typeof value === 'number') return tagNumber(value);
    if (value instanceof Float64Array) return { $f64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    return value;
  });
}

export function decodeResult(text: string): TrialResult {
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
  }) as TrialResult;
}
