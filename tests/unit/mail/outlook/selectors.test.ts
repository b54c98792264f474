import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBccLabel, OUTLOOK, OUTLOOK_COMPOSE_SENTINEL, OUTLOOK_SELECTORS_CHECKED } from '@/lib/mail/outlook/selectors';

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

  it('know the word for Bcc in several languages, ignoring case, spaces and a shortcut in brackets', () => {
    expect(isBccLabel('Cci')).toBe(true);
    expect(isBccLabel(' BCC ')).toBe(true);
    expect(isBccLabel('Cc')).toBe(false);
    expect(isBccLabel('Bcc (Ctrl+Shift+B)')).toBe(true);
    expect(isBccLabel(null)).toBe(false);
  });
});
