/**
 * Unit and integration tests (Vitest). Three projects: server (Node), renderer (happy-dom) and
 * electron (Node, with the electron module stubbed in tests). E2E specs live in tests/e2e and run
 * under Playwright, not here. Coverage keeps server/ at ≥ 80 % of lines.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = import.meta.dirname;

/**
 * electron-vite's `import x from './worker?modulePath'` (the path of a module built as its own
 * chunk) mapped to the module's .ts source, which worker_threads then run with tsx.
 */
function modulePath(): Plugin {
  const prefix = '\0module-path:';
  return {
    name: 'mystocks:module-path',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!id.endsWith('?modulePath')) return null;
      const resolved = await this.resolve(id.slice(0, -'?modulePath'.length), importer, { skipSelf: true });
      return resolved ? prefix + resolved.id : null;
    },
    load(id) {
      return id.startsWith(prefix) ? `export default ${JSON.stringify(id.slice(prefix.length))};` : null;
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [modulePath()],
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        plugins: [vue()],
        resolve: { alias: { '@': resolve(root, 'renderer/src'), '@contracts': resolve(root, 'contracts') } },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/src/**/*.test.ts'],
          server: { deps: { inline: ['element-plus'] } },
        },
      },
      {
        test: {
          name: 'electron',
          environment: 'node',
          include: ['electron/**/*.test.ts'],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['server/src/**/*.ts', 'renderer/src/**/*.{ts,vue}', 'electron/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: {
        'server/src/**/*.ts': { lines: 80 },
      },
    },
  },
});
