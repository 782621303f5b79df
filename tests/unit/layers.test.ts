/** The dependency rules of docs/ARCHITECTURE.md ("Layers"), checked through ESLint itself at error level. */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/dependencies' && m.severity === 2).map((m) => m.message);
}

describe('layer dependency rules', () => {
  it.each([
    ['server/src/engine/sma.ts', "import { x } from '../platform/db/database';\nexport const y = x;\n"],
    ['server/src/engine/sma.ts', "import fs from 'node:fs';\nexport const y = fs;\n"],
    ['server/src/engine/sma.test.ts', "import fs from 'node:fs';\nexport const y = fs;\n"],
    ['server/src/modules/x/routes.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['server/src/modules/x/routes.ts', "import { y } from '../../../../renderer/src/main';\nexport const z = y;\n"],
    ['renderer/src/features/a/store.ts', "import { buildServer } from '../../../../server/src/app';\nexport const y = buildServer;\n"],
    ['renderer/src/features/a/store.ts', "import spec from '../../../../contracts/openapi.yaml';\nexport const y = spec;\n"],
    ['renderer/src/features/a/store.ts', "import fs from 'node:fs';\nexport const y = fs;\n"],
    ['electron/main/window.ts', "import { openDatabase } from '../../server/src/platform/db/database';\nexport const y = openDatabase;\n"],
    ['electron/preload/index.ts', "import { x } from '../main/window';\nexport const y = x;\n"],
    ['contracts/gen/extra.ts', "import { x } from '../../server/src/app';\nexport const y = x;\n"],
  ])('forbids %s → %j', async (file, code) => {
    expect(await errorsFor(file, code)).toHaveLength(1);
  });

  it.each([
    ['server/src/engine/indicators/ema.ts', "import { sma } from '../sma';\nexport const y = sma;\n"],
    ['server/src/engine/indicators/ema.test.ts', "import { it } from 'vitest';\nexport const y = it;\n"],
    ['server/src/modules/x/routes.ts', "import { AppError } from '../../platform/errors';\nexport const y = AppError;\n"],
    ['renderer/src/features/a/store.ts', "import type { paths } from '../../../../contracts/gen/api';\nexport type P = paths;\n"],
    ['renderer/src/features/a/store.ts', "import type { paths } from '@contracts/gen/api';\nimport { ref } from 'vue';\nexport type P = paths;\nexport const r = ref(1);\n"],
    ['contracts/gen/extra.ts', "import type { components } from './api';\nexport type C = components;\n"],
    ['electron/main/server-host.ts', "import { startServer } from '../../server/src/app';\nexport const y = startServer;\n"],
    ['electron/preload/index.ts', "import { contextBridge } from 'electron';\nimport type { Channels } from '../shared/ipc';\nexport type C = Channels;\nexport const y = contextBridge;\n"],
  ])('allows %s → %j', async (file, code) => {
    expect(await errorsFor(file, code)).toEqual([]);
  });
});
