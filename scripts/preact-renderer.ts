import type { Alias } from 'vite';

/**
 * The extension's pages (options, popup) are written against React's API and rendered by Preact
 * through preact/compat: react-dom was 207 KB of the 247 KB the options page compiles before it
 * can show anything, and on its first open after install there is no code cache
 * (docs/performance.md, "Options page first open"). Unit tests resolve the same way, so they test
 * the renderer that ships.
 */
export const preactForReact: Alias[] = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];
