/**
 * ESLint rule `layers/dependencies`: the dependency rules of docs/ARCHITECTURE.md ("Layers"), checked on the
 * resolved path of every import (static, dynamic, re-export), like VS Code's layer rules.
 *   contracts          imports nothing outside contracts/gen
 *   server/src/engine  imports nothing outside engine (no packages, no I/O)
 *   server             never imports electron or renderer
 *   renderer           imports only contracts/gen and its own code (plus browser packages)
 *   electron/main      reaches the server only through server/src/app.ts
 *   electron/preload   only electron and electron/shared
 */
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const rel = (abs) => path.relative(root, abs).split(path.sep).join('/');
const inside = (p, dir) => p === dir || p.startsWith(`${dir}/`);
const withoutExt = (p) => p.replace(/\.(ts|js|mjs|cjs|vue|json)$/, '');

function resolveTarget(file, source) {
  if (source.startsWith('.')) return { kind: 'path', path: rel(path.resolve(path.dirname(file), source)) };
  if (source.startsWith('@contracts/')) return { kind: 'path', path: `contracts/${source.slice('@contracts/'.length)}` };
  if (source.startsWith('@/')) return { kind: 'path', path: `renderer/src/${source.slice(2)}` };
  return { kind: 'package', name: source };
}

/** Returns why the import is forbidden, or undefined. */
export function violation(fileAbs, source) {
  const from = rel(fileAbs);
  const to = resolveTarget(fileAbs, source);
  const pkg = to.kind === 'package' ? to.name : undefined;
  const target = to.kind === 'path' ? withoutExt(to.path) : undefined;

  if (inside(from, 'contracts') && !(target && inside(target, 'contracts/gen'))) return 'contracts/ imports nothing outside contracts/gen';
  if (inside(from, 'server/src/engine')) {
    const isTest = /\.test\.ts$/.test(from);
    if (pkg && !(isTest && pkg === 'vitest')) return 'server/src/engine is pure: no packages or Node APIs (data comes in as arrays)';
    if (target && !inside(target, 'server/src/engine')) return 'server/src/engine imports nothing outside engine';
  }
  if (inside(from, 'server')) {
    if (pkg === 'electron' || pkg?.startsWith('electron/')) return 'server never imports electron';
    if (target && (inside(target, 'electron') || inside(target, 'renderer'))) return 'server never imports electron/ or renderer/';
  }
  if (inside(from, 'renderer')) {
    if (pkg === 'electron' || pkg?.startsWith('node:')) return 'renderer runs in the browser sandbox: no electron or Node modules';
    if (target && !inside(target, 'renderer') && !inside(target, 'contracts/gen')) return 'renderer imports only contracts/gen and its own code';
  }
  if (inside(from, 'electron/main')) {
    if (target && inside(target, 'server') && target !== 'server/src/app') return 'electron/main reaches the server only through server/src/app.ts';
    if (target && inside(target, 'renderer')) return 'electron/main never imports renderer/';
  }
  if (inside(from, 'electron/preload')) {
    if (pkg && pkg !== 'electron') return 'the preload imports only electron and electron/shared';
    if (target && !inside(target, 'electron/shared') && !inside(target, 'electron/preload')) return 'the preload imports only electron/shared';
  }
  return undefined;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'Enforce the layer dependency rules of docs/ARCHITECTURE.md' }, schema: [] },
  create(context) {
    const check = (node, sourceNode) => {
      if (!sourceNode || typeof sourceNode.value !== 'string') return;
      const why = violation(context.filename, sourceNode.value);
      if (why) context.report({ node, message: `Forbidden import '${sourceNode.value}': ${why}.` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { dependencies: rule } };
