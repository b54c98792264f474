/**
 * The small control shown on each open message (the reading pane): whether it is logged to
 * Salesforce and where (the people and records, each a link to Salesforce), and, for one that is
 * not, "Log this email" with the Account or Opportunity it relates to. Its own shadow root, DOM
 * calls and textContent only, like the compose control (lib/mail/compose-control.ts).
 */
import type { MessageStatus } from '../../logging/reading-pane';
import { CONTROL_ATTRIBUTE } from '../compose-control';
import { type RelatedChoices, relatedSelect } from '../related-select';
import { t } from '../ui-text';

// Compact: CSS text is not minified with the code, and every byte ships on each mail page.
const STYLE = `:host{display:block;margin:4px 0 8px;font:12px/1.4 system-ui,sans-serif;color:#1f2d3d}
.box{display:flex;flex-wrap:wrap;gap:6px;align-items:center;border:1px solid #c9d3dd;border-radius:6px;padding:4px 8px;background:#f7f9fb}
.name{font-weight:600}
a{color:#0b5cab}
button,select{font:inherit}
button{border:1px solid #0b5cab;border-radius:12px;padding:2px 9px;background:#fff;color:#0b5cab;cursor:pointer}
button:disabled{opacity:.6;cursor:default}`;

export interface PaneState {
  status: MessageStatus | null;
  instanceUrl: string | null;
  /** Which message it is, where the control does not sit in the message itself (Outlook's list of them). */
  label?: string;
  /** For a message that is not logged: what it may relate to, once asked. */
  related?: RelatedChoices | null;
  busy?: boolean;
  error?: string;
}

export interface PaneControl {
  host: HTMLElement;
  render(state: PaneState): void;
}

const LOGGED: ReadonlySet<string> = new Set(['logged']);
const WAITING: ReadonlySet<string> = new Set(['queued', 'matching', 'logging']);

export function createPaneControl(doc: Document, onLog: (whatId: string | undefined) => void): PaneControl {
  const host = doc.createElement('div');
  host.setAttribute(CONTROL_ATTRIBUTE, 'reading-pane');
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const box = doc.createElement('div');
  box.className = 'box';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', t('reading.name'));
  root.append(style, box);
  let select: HTMLSelectElement | null = null;

  const text = (tag: string, value: string, className?: string) => {
    const node = doc.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  };

  return {
    host,
    render(state) {
      box.replaceChildren(text('span', t('reading.name'), 'name'));
      if (state.label) box.append(text('span', state.label));
      const status = doc.createElement('span');
      status.setAttribute('role', 'status');
      box.append(status);
      const s = state.status;
      if (s && (LOGGED.has(s.state) || WAITING.has(s.state))) {
        status.textContent = t(LOGGED.has(s.state) ? 'reading.logged' : 'reading.waiting');
        const linked = (label: string, id: string) => {
          if (!state.instanceUrl || !id) return text('span', label);
          const link = doc.createElement('a');
          link.textContent = label;
          link.href = `${state.instanceUrl}/${id}`;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          return link;
        };
        for (const record of s.matched) box.append(linked(`${record.name ?? record.email ?? record.id} (${record.type})`, record.id));
        // The records written: Tasks (00T) and Enhanced Email messages.
        for (const id of s.loggedIds) box.append(linked(t(id.startsWith('00T') ? 'reading.task' : 'reading.emailMessage'), id));
        return;
      }
      if (s && s.state !== 'notLogged') {
        status.textContent = t('reading.notLoggedBecause', [
          t(`reading.state.${s.state === 'failed' ? 'failed' : s.state === 'unresolved' ? 'unresolved' : 'skipped'}`),
        ]);
        return;
      }
      status.textContent = t('reading.notLogged');
      select = relatedSelect(doc, state.related ?? { options: [], preselected: '' }, select?.value);
      const button = text('button', t('reading.logThis')) as HTMLButtonElement;
      button.type = 'button';
      button.disabled = state.busy === true;
      const chosen = select;
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        onLog(chosen.value || undefined);
      });
      box.append(select, button);
      if (state.error) box.append(text('span', state.error));
    },
  };
}
