/**
 * Unit and integration tests (Vitest). Three projects: server (Node), renderer (happy-dom) and
 * electron (Node, with the electron module stubbed in tests). E2E specs live in tests/e2e and run
 * under Playwright, not here. Coverage keeps server/ at ≥ 80 % of lines.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

const root = import.meta.dirname;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'tests/unit/**/*.test.ts'],
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
