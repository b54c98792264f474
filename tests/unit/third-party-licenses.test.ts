import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noticesFor, packageDirOf } from '@/scripts/third-party-licenses';

const root = process.cwd();
const nm = (...parts: string[]) => join(root, 'node_modules', ...parts);

describe('open-source notices from bundled modules', () => {
  it('finds the package of a bundled module, through Rollup markers and nested package.json files', () => {
    expect(packageDirOf(nm('preact', 'compat', 'dist', 'compat.mjs'))).toBe(nm('preact'));
    expect(packageDirOf(`\0${nm('dexie', 'dist', 'dexie.mjs')}?commonjs-module`)).toBe(nm('dexie'));
    expect(packageDirOf(nm('@wxt-dev', 'i18n', 'dist', 'index.mjs'))).toBe(nm('@wxt-dev', 'i18n'));
    expect(packageDirOf(join(root, 'lib', 'settings.ts'))).toBeNull();
    expect(packageDirOf('\0vite/preload-helper.js')).toBeNull();
  });

  it('lists each package once with its licence and licence text, and leaves out the project itself', () => {
    const notices = noticesFor([
      nm('preact', 'dist', 'preact.mjs'),
      nm('preact', 'hooks', 'dist', 'hooks.mjs'),
      nm('zustand', 'esm', 'vanilla.mjs'),
      join(root, 'components', 'options', 'AboutTab.tsx'),
    ]);
    expect(notices.map((n) => [n.name, n.license])).toEqual([
      ['preact', 'MIT'],
      ['zustand', 'MIT'],
    ]);
    expect(notices[0]?.text).toMatch(/Permission is hereby granted/);
    expect(notices[0]?.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
