import { describe, expect, it } from 'vitest';
import { importTaskOf, type Task } from './data';

const task: Task = {
  id: 't1',
  kind: 'import',
  state: 'cancelled',
  progress: 40,
  phase: 'cancelled',
  message: '2/5 files, 12000 bars written',
  params: { importKind: 'tdx', source: '/data/tdx', spec: {} },
  summary: { importKind: 'tdx', source: '/data/tdx', filesTotal: 5, filesDone: 2, filesFailed: 0, barsRead: 12000, barsInserted: 12000, results: [] },
  attempts: 1,
  createdAt: '2026-01-02T03:04:05.000Z',
  finishedAt: '2026-01-02T03:04:06.000Z',
};

describe('importTaskOf', () => {
  it('shows an import task of the task platform as the Data Manager does (progress 0..1)', () => {
    expect(importTaskOf(task)).toEqual({
      id: 't1',
      kind: 'tdx',
      state: 'cancelled',
      source: '/data/tdx',
      progress: 0.4,
      filesTotal: 5,
      filesDone: 2,
      filesFailed: 0,
      barsRead: 12000,
      barsInserted: 12000,
      createdAt: '2026-01-02T03:04:05.000Z',
      finishedAt: '2026-01-02T03:04:06.000Z',
      results: [],
    });
  });
});
