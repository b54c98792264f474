// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { createPaneControl } from '@/lib/mail/reading-pane/control';

const shown = (host: HTMLElement) => host.shadowRoot?.textContent ?? '';
const logButton = (host: HTMLElement) => host.shadowRoot?.querySelector('button') ?? null;

describe('the reading-pane control', () => {
  it('offers nothing until the worker said whether the email is logged', () => {
    const onLog = vi.fn();
    const control = createPaneControl(document, onLog);
    control.render({ status: null, instanceUrl: null });
    expect(shown(control.host)).toContain('Checking whether it is logged…');
    expect(shown(control.host)).not.toContain('Not logged.');
    expect(logButton(control.host)).toBeNull();
  });

  it('says why it cannot tell, and still offers nothing', () => {
    const control = createPaneControl(document, vi.fn());
    control.render({ status: null, instanceUrl: null, error: 'The extension could not tell whether this email is logged.' });
    expect(shown(control.host)).toContain('could not tell');
    expect(logButton(control.host)).toBeNull();
  });

  it('offers "Log this email" once the worker answered that it is not logged', () => {
    const onLog = vi.fn();
    const control = createPaneControl(document, onLog);
    control.render({
      status: { messageId: 'm1', state: 'notLogged', matched: [], loggedIds: [], direction: 'inbound' },
      instanceUrl: null,
    });
    expect(shown(control.host)).toContain('Not logged.');
    logButton(control.host)?.click();
    expect(onLog).toHaveBeenCalledOnce();
  });
});
