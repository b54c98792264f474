import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { i18n } from '#i18n';
import { ConnectionTab } from './ConnectionTab';
import { type TabDefinition, Tabs } from './Tabs';

// The tabs that read the database load with it when first opened: the page's first open after
// install compiles every script without a code cache, and Dexie is a quarter of it
// (docs/performance.md).
const SyncSettingsTab = lazy(async () => ({ default: (await import('./SyncSettingsTab')).SyncSettingsTab }));
const ActivityTab = lazy(async () => ({ default: (await import('./ActivityTab')).ActivityTab }));
// Nor is About needed before the Connection tab shows.
const AboutTab = lazy(async () => ({ default: (await import('./AboutTab')).AboutTab }));
// A local file loads in a moment: nothing is shown meanwhile.
const later = (tab: ReactNode) => <Suspense fallback={null}>{tab}</Suspense>;

export type OptionsTabId = 'connection' | 'sync' | 'activity' | 'about';

const TAB_IDS: readonly OptionsTabId[] = ['connection', 'sync', 'activity', 'about'];

/** The tab named in the URL hash (#sync), so a link or a reload opens the same tab. */
function tabFromHash(hash: string): OptionsTabId {
  const id = hash.replace(/^#/, '');
  return (TAB_IDS as readonly string[]).includes(id) ? (id as OptionsTabId) : 'connection';
}

export function OptionsApp() {
  const [selected, setSelected] = useState<OptionsTabId>(() => tabFromHash(location.hash));

  useEffect(() => {
    const follow = () => setSelected(tabFromHash(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const select = (id: OptionsTabId) => {
    setSelected(id);
    history.replaceState(null, '', `#${id}`);
  };

  const tabs: TabDefinition<OptionsTabId>[] = [
    {
      id: 'connection',
      label: i18n.t('options.tab.connection'),
      render: () => <ConnectionTab />,
    },
    {
      id: 'sync',
      label: i18n.t('options.tab.sync'),
      render: () => later(<SyncSettingsTab />),
    },
    {
      id: 'activity',
      label: i18n.t('options.tab.activity'),
      render: () => later(<ActivityTab />),
    },
    { id: 'about', label: i18n.t('options.tab.about'), render: () => later(<AboutTab />) },
  ];

  return (
    <main className="options">
      <h1>{i18n.t('options.title')}</h1>
      <Tabs label={i18n.t('options.tabsLabel')} tabs={tabs} selected={selected} onSelect={select} />
    </main>
  );
}
