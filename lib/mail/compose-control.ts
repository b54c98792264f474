/**
 * The small control shown next to Send in every compose: logging on or off for this email
 * (click to switch), the mode (API or BCC), and a line saying what will happen. It lives in
 * its own shadow root, so the webmail's styles and ours never meet, and it is built with
 * DOM calls and textContent only (mail pages enforce Trusted Types; nothing is parsed as HTML).
 */
import { i18n } from '#i18n';
import type { ComposePreview } from '../messages';

export interface ComposeControlState {
  mode: 'api' | 'bcc' | 'off';
  on: boolean;
  /** The worker's answer for the current recipients; null while it is being asked. */
  preview: ComposePreview | null;
}

export interface ComposeControl {
  /** The element to place in the page. */
  host: HTMLElement;
  render(state: ComposeControlState): void;
}

/** Marks our host elements, so that our own insertions are recognised (and ignored) by observers. */
export const CONTROL_ATTRIBUTE = 'data-sales-activity-sync';

const STYLE = `
:host { display: inline-flex; align-items: center; vertical-align: middle; margin: 0 8px; font: 12px/1.3 system-ui, sans-serif; }
button { display: inline-flex; gap: 4px; align-items: center; border: 1px solid #8a9bb0; border-radius: 12px; padding: 3px 9px;
  background: #fff; color: #1f2d3d; font: inherit; cursor: pointer; white-space: nowrap; }
button[aria-pressed="true"] { background: #e3f1fb; border-color: #0b5cab; color: #0b5cab; }
button:disabled { cursor: default; opacity: .7; }
button:focus-visible { outline: 2px solid #0b5cab; outline-offset: 1px; }
.mode { font-weight: 600; }
.detail { margin-left: 6px; color: #51606f; max-width: 28em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;

/** The sentence under the switch, from the structured preview. */
export function previewSentence(state: ComposeControlState): string {
  const { preview } = state;
  if (state.mode === 'off') return i18n.t('compose.reason.off');
  if (!state.on) return i18n.t('compose.reason.turnedOff');
  if (!preview) return i18n.t('compose.checking');
  if (!preview.willLog) return i18n.t(`compose.reason.${preview.reason ?? 'off'}`);
  if (preview.mode === 'bcc') return i18n.t('compose.willLogBcc');
  const m = preview.matches;
  if (!m) return i18n.t('compose.willLogApi');
  return m.newLeads
    ? i18n.t('compose.matchesNewLeads', [m.contacts, m.leads, m.newLeads])
    : i18n.t('compose.matches', [m.contacts, m.leads, m.unresolved]);
}

export function createComposeControl(doc: Document, onToggle: (on: boolean) => void): ComposeControl {
  const host = doc.createElement('span');
  host.setAttribute(CONTROL_ATTRIBUTE, 'compose-control');
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const button = doc.createElement('button');
  button.type = 'button';
  button.title = i18n.t('compose.toggleHint');
  const name = doc.createElement('span');
  name.textContent = i18n.t('compose.name');
  const status = doc.createElement('span');
  const mode = doc.createElement('span');
  mode.className = 'mode';
  button.append(name, status, mode);
  const detail = doc.createElement('span');
  detail.className = 'detail';
  detail.setAttribute('role', 'status');
  root.append(style, button, detail);

  let on = false;
  button.addEventListener('click', (event) => {
    // The click is ours: the webmail must not treat it as a click in its compose.
    event.stopPropagation();
    onToggle(!on);
  });

  return {
    host,
    render(state) {
      on = state.on;
      const off = state.mode === 'off';
      button.disabled = off;
      button.setAttribute('aria-pressed', String(state.on && !off));
      status.textContent = `: ${off || !state.on ? i18n.t('compose.off') : i18n.t('compose.on')}`;
      mode.textContent = off ? '' : ` · ${i18n.t(`compose.mode.${state.mode}`)}`;
      const sentence = previewSentence(state);
      detail.textContent = sentence;
      detail.title = sentence;
    },
  };
}
