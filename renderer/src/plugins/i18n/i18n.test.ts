import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('i18n messages', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('has no empty message', () => {
    for (const messages of [zhCN, en]) {
      const empty = keys(messages).filter((path) => {
        const value = path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], messages);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty).toEqual([]);
    }
  });
});
