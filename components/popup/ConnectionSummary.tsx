/** The popup's one-glance connection state, the same one the Connection tab shows in full. */
import { useEffect } from 'react';
import { i18n } from '#i18n';
import type { ConnectionState } from '@/lib/salesforce/connection-state';
import { useConnectionStore } from '../connection-store';

function statusLine(state: ConnectionState): { title: string; hint: string | null } {
  switch (state.status) {
    case 'connecting':
      return { title: i18n.t('popup.status.connecting'), hint: null };
    case 'connected':
      return {
        title: i18n.t('popup.status.connected', [state.profile?.orgName || state.profile?.orgId || '']),
        hint: state.profile ? i18n.t('popup.statusUser', [state.profile.userName, state.profile.username]) : null,
      };
    case 'reconnectNeeded':
      return { title: i18n.t('popup.status.reconnectNeeded'), hint: i18n.t('popup.statusReconnectHint') };
    case 'noApiAccess':
      return { title: i18n.t('popup.status.noApiAccess'), hint: i18n.t('popup.statusNoApiHint') };
    case 'unreachable':
      return { title: i18n.t('popup.status.unreachable'), hint: i18n.t('popup.statusUnreachableHint') };
    default:
      return { title: i18n.t('popup.statusNotConnected'), hint: i18n.t('popup.statusHint') };
  }
}

export function ConnectionSummary() {
  const { view, stored, load, follow } = useConnectionStore();

  useEffect(() => {
    void load();
    return follow();
  }, [load, follow]);

  // Nothing until the state is known (the worker's answer, or the state it stored): a connected
  // rep must not see "Not connected" flash by.
  const state = view?.state ?? stored;
  if (!state) return <section aria-busy="true" className="connection-summary" />;
  const { title, hint } = statusLine(state);
  return (
    <section aria-labelledby="connection-status" aria-live="polite" className="connection-summary" data-status={state.status}>
      <p id="connection-status" className={`status connection-${state.status}`}>
        {title}
      </p>
      {hint && <p className="hint">{hint}</p>}
    </section>
  );
}
