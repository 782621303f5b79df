/**
 * One build for everything (electron-vite): main (Electron main, the headless `serve` entry and the
 * `worker` entry of remote trial workers, all bundling server/), preload (CommonJS: a sandboxed
 * preload cannot be ESM) and the renderer.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          serve: resolve(root, 'server/src/main.ts'),
          // `npm run worker`: a remote trial worker for distributed optimizations (BullMQ over Redis).
          worker: resolve(root, 'server/src/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    define: {
      // vue-i18n: composition API only, message compiler kept out of the production bundle.
      __VUE_I18N_LEGACY_API__: 'false',
      __VUE_I18N_FULL_INSTALL__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
    },
    resolve: {
      alias: { '@': resolve(root, 'renderer/src'), '@contracts': resolve(root, 'contracts') },
    },
    plugins: [
      vue(),
      // Element Plus on demand: only the components used are bundled, with their styles.
      AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
      Components({ resolvers: [ElementPlusResolver()], dts: false }),
    ],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      // ECharts alone is ~520 KB minified; it is lazy-loaded with the pages that draw charts.
      chunkSizeWarningLimit: 800,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
