import { describe, expect, it } from 'vitest';
import { exposureOption } from './charts';

describe('exposureOption', () => {
  it('sorts so the largest bar is on top', () => {
    const option = exposureOption(
      [
        { label: 'a', weight: 0.2 },
        { label: 'b', weight: 0.7 },
      ],
      '#f00',
      '#333',
    );
    expect((option.yAxis as { data: string[] }).data).toEqual(['a', 'b']);
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([0.2, 0.7]);
  });
});
