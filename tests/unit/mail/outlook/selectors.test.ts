import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLabel, OUTLOOK, OUTLOOK_COMPOSE_SENTINEL, OUTLOOK_SELECTORS_CHECKED } from '@/lib/mail/outlook/selectors';

const css = readFileSync(join(process.cwd(), 'lib', 'mail', 'outlook', 'outlook-compose.css'), 'utf8');

describe('Outlook selectors', () => {
  it('carry the date they were last checked', () => {
    expect(OUTLOOK_SELECTORS_CHECKED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('and the compose stylesheet name the same sentinel elements and animation', () => {
    const rule = /\n([^@{}]+)\{\s*animation-duration: 1ms;\s*animation-name: ([\w-]+);/.exec(css);
    expect(rule?.[1]?.split(',').map((s) => s.trim())).toEqual([...OUTLOOK.sentinel]);
    expect(rule?.[2]).toBe(OUTLOOK_COMPOSE_SENTINEL);
    expect(css).toContain(`@keyframes ${OUTLOOK_COMPOSE_SENTINEL} `);
  });

  it('know labels in several languages, ignoring case, spaces and a shortcut in brackets', () => {
    expect(isLabel('bcc', 'Cci')).toBe(true);
    expect(isLabel('bcc', 'BCC')).toBe(true);
    expect(isLabel('to', 'À')).toBe(true);
    expect(isLabel('bcc', 'Cc')).toBe(false);
    expect(isLabel('bcc', 'Bcc (Ctrl+Shift+B)')).toBe(true);
    expect(isLabel('to', null)).toBe(false);
  });
});
