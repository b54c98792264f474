/**
 * The open-source notices shipped with the extension (third-party-licenses.json, shown on the
 * About tab). Built from what the bundles really contain: a Vite plugin notes every module from
 * node_modules that reaches an output chunk, and each module's package.json and licence file
 * give the notice. Development-only packages never appear, and bundled polyfills do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Plugin } from 'vite';

export interface PackageNotice {
  name: string;
  version: string;
  license: string;
  /** The package's own licence file, which MIT, BSD and ISC ask to ship with the code. */
  text: string;
}

/** The package folder that holds a bundled module, or null for the project's own code. */
export function packageDirOf(moduleId: string): string | null {
  // Rollup marks virtual and helper modules with \0 and adds queries (?commonjs-proxy).
  const path = moduleId.replace(/^\0/, '').replace(/\?.*$/, '');
  const marker = `${sep}node_modules${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) return null;
  // The package is the folder right under node_modules (two levels for @scope/name): folders
  // inside it may have package.json files of their own (preact/compat, "type"-only ones), which
  // are parts of the same package under its licence.
  const parts = path.slice(at + marker.length).split(sep);
  const depth = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length <= depth) return null;
  return path.slice(0, at + marker.length) + parts.slice(0, depth).join(sep);
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i;

function licenseOf(manifest: { license?: unknown; licenses?: unknown }): string {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license && typeof manifest.license === 'object' && 'type' in manifest.license) return String(manifest.license.type);
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map((l: { type?: string }) => l.type ?? '').join(' OR ');
  return 'UNKNOWN';
}

export function noticeOf(packageDir: string): PackageNotice {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const file = readdirSync(packageDir).find((name) => LICENSE_FILE.test(name));
  return {
    name: manifest.name,
    version: manifest.version ?? '',
    license: licenseOf(manifest),
    text: file ? readFileSync(join(packageDir, file), 'utf8').trim() : '',
  };
}

/** Notices for the packages the bundled module ids come from, one per name and version, sorted. */
export function noticesFor(moduleIds: Iterable<string>): PackageNotice[] {
  const dirs = new Set<string>();
  for (const id of moduleIds) {
    const dir = packageDirOf(id);
    if (dir) dirs.add(dir);
  }
  const byPackage = new Map<string, PackageNotice>();
  for (const dir of dirs) {
    const notice = noticeOf(dir);
    byPackage.set(`${notice.name}@${notice.version}`, notice);
  }
  return [...byPackage.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * Collects bundled module ids across all of WXT's builds (one per entrypoint group); the set
 * is read when WXT writes the public assets, after every group is built.
 */
export function bundledModulesCollector() {
  const ids = new Set<string>();
  const plugin: Plugin = {
    name: 'sales-activity-sync:bundled-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        // Modules tree-shaking removed entirely ship no code, so they need no notice.
        for (const [id, module] of Object.entries(output.modules)) if (module.renderedLength > 0) ids.add(id);
      }
    },
  };
  return { plugin, notices: () => noticesFor(ids) };
}
