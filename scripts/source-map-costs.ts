/**
 * Charges every byte of a minified bundle to the source file its source map points at, for the
 * size reports (scripts/content-size-report.ts, scripts/page-size-report.ts).
 */
import { join, relative } from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one mappings segment ("AAgBC") into its numbers (source map v3 base64 VLQ). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export interface SourceMap {
  sources: string[];
  mappings: string;
}

/** Bytes of generated code per source file. Columns are UTF-16 units; the bundles are ASCII. */
export function costs(code: string, map: SourceMap): Map<string, number> {
  const lines = code.split('\n');
  const result = new Map<string, number>();
  const charge = (source: string, bytes: number) => result.set(source, (result.get(source) ?? 0) + bytes);
  let source = 0;
  map.mappings.split(';').forEach((line, index) => {
    const text = lines[index] ?? '';
    let column = 0;
    let previous: { column: number; source: string } | undefined = { column: 0, source: '(unmapped)' };
    for (const segment of line.split(',').filter(Boolean)) {
      const [delta = 0, sourceDelta] = decodeSegment(segment);
      column += delta;
      if (sourceDelta !== undefined) source += sourceDelta;
      if (previous) charge(previous.source, Buffer.byteLength(text.slice(previous.column, column)));
      previous = { column, source: sourceDelta === undefined ? '(unmapped)' : (map.sources[source] ?? '(unmapped)') };
    }
    if (previous) charge(previous.source, Buffer.byteLength(text.slice(previous.column)) + 1);
  });
  return result;
}

/**
 * node_modules/a/b/c.mjs -> a/b/c.mjs (with --packages: a, or @scope/a); project files relative
 * to the project. The worker's stand-ins for left-out jsforce modules (scripts/worker-bundle.ts)
 * are virtual modules: named as their map names them.
 */
export function label(source: string, folder: string, byPackage = false): string {
  if (source === '(unmapped)' || source.includes('\0')) return source.replace('\0', '');
  const path = relative(process.cwd(), join(folder, source));
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path;
  const inPackage = path.slice(at + 'node_modules/'.length);
  if (!byPackage) return inPackage;
  const parts = inPackage.split('/');
  return parts.slice(0, parts[0]?.startsWith('@') ? 2 : 1).join('/');
}
