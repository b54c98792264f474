/**
 * The "Sync settings" tab: "My account" holds the rep's cards (README, "How email is logged" and "Task sync");
 * "Admin settings" shows the team policy and builds one (section 5).
 */
import { useEffect, useState } from 'react';
import { i18n } from '#i18n';
import { AdminSettingsView } from './AdminSettingsView';
import { LockIcon } from './controls';
import { EmailLoggingCard } from './EmailLoggingCard';
import { useSettingsStore } from './settings-store';
import { type TabDefinition, Tabs } from './Tabs';
import { TaskSyncCard } from './TaskSyncCard';

type View = 'account' | 'admin';

export function SyncSettingsTab() {
  const status = useSettingsStore((s) => s.status);
  const load = useSettingsStore((s) => s.load);
  const [view, setView] = useState<View>('account');

  useEffect(() => {
    void load();
    // An administrator's policy or another options page may change settings meanwhile.
    const reloadWhenShown = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', reloadWhenShown);
    return () => document.removeEventListener('visibilitychange', reloadWhenShown);
  }, [load]);

  const views: TabDefinition<View>[] = [
    { id: 'account', label: i18n.t('options.sync.view.account'), render: () => <MyAccountView /> },
    { id: 'admin', label: i18n.t('options.sync.view.admin'), render: () => <AdminSettingsView /> },
  ];

  return (
    <>
      <h2>{i18n.t('options.sync.heading')}</h2>
      <p>{i18n.t('options.sync.intro')}</p>
      {status === 'loading' && <p role="status">{i18n.t('options.sync.loading')}</p>}
      {status === 'failed' && <LoadFailed />}
      {status === 'ready' && (
        <>
          <PolicyNotice />
          <Tabs label={i18n.t('options.sync.view.label')} tabs={views} selected={view} onSelect={setView} />
        </>
      )}
    </>
  );
}

function MyAccountView() {
  return (
    <>
      <EmailLoggingCard />
      <TaskSyncCard />
    </>
  );
}

/** Tells the rep up front that some settings are their administrator's. */
function PolicyNotice() {
  const locked = useSettingsStore((s) => s.view?.locked.length ?? 0);
  if (locked === 0) return null;
  return (
    <p className="policy-notice">
      <LockIcon /> {i18n.t('options.sync.policyNotice', [String(locked)])}
    </p>
  );
}

function LoadFailed() {
  const load = useSettingsStore((s) => s.load);
  return (
    <div role="alert" className="load-failed">
      <p>{i18n.t('options.sync.loadFailed')}</p>
      <button type="button" className="secondary" onClick={() => void load()}>
        {i18n.t('options.sync.retry')}
      </button>
    </div>
  );
}
