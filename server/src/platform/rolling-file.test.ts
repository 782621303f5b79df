import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../tests/helpers/server';
import { RollingFile } from './rolling-file';

const temps: { remove(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.remove()));
function dir(): string {
  const t = tempDataDir();
  temps.push(t);
  return t.dir;
}

describe('RollingFile', () => {
  it('writes to the day file and rolls over by size, keeping the newest files', async () => {
    const d = dir();
    let now = new Date(2026, 10, 21, 10, 0).getTime();
    const f = new RollingFile({ dir: d, base: 'app', maxBytes: 10, keep: 3, now: () => now });
    await f.ready();
    for (let i = 0; i < 5; i++) f.write(`line-${i}-xxxx\n`); // 12 chars each: every write after the first rolls
    now = new Date(2026, 10, 21, 11, 0).getTime();
    await f.end();
    const files = readdirSync(d).sort();
    expect(files).toEqual(['app-2026-11-21.2.log', 'app-2026-11-21.3.log', 'app-2026-11-21.4.log']);
    expect(readFileSync(path.join(d, 'app-2026-11-21.4.log'), 'utf8')).toBe('line-4-xxxx\n');
  });

  it('continues the newest part of today after a restart', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'app-2026-11-21.log'), 'a\n');
    writeFileSync(path.join(d, 'app-2026-11-21.2.log'), 'b\n');
    const f = new RollingFile({ dir: d, base: 'app', maxBytes: 1000, keep: 10, now: () => new Date(2026, 10, 21, 9).getTime() });
    await f.ready();
    f.write('c\n');
    await f.end();
    expect(f.file).toBe(path.join(d, 'app-2026-11-21.2.log'));
    expect(readFileSync(f.file, 'utf8')).toBe('b\nc\n');
  });

  it('rolls over at midnight by the injected clock, whatever the real date', async () => {
    const d = dir();
    let now = new Date(2031, 0, 5, 23, 59).getTime();
    const f = new RollingFile({ dir: d, base: 'app', maxBytes: 1000, keep: 10, now: () => now });
    await f.ready();
    f.write('before\n');
    now = new Date(2031, 0, 6, 0, 1).getTime();
    f.write('after\n');
    await f.end();
    expect(readdirSync(d).sort()).toEqual(['app-2031-01-05.log', 'app-2031-01-06.log']);
    expect(readFileSync(path.join(d, 'app-2031-01-06.log'), 'utf8')).toBe('after\n');
  });
});
