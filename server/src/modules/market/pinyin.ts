/** Pinyin initials of an instrument name for the keyboard genie: 浦发银行 → pfyh, *ST长康 → stck. */
import { pinyin } from 'pinyin-pro';

export function pinyinInitials(name: string): string {
  const letters = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .normalize('NFKC')
    .toLowerCase();
  return letters.replace(/[^a-z0-9]/g, '');
}
