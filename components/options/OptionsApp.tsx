import { useEffect, useState } from 'react';
import { i18n } from '#i18n';
import { AboutTab } from './AboutTab';
import { ActivityTab } from './ActivityTab';
import { ConnectionTab } from './ConnectionTab';
import { SyncSettingsTab } from './SyncSettingsTab';
import { type TabDefinition, Tabs } from './Tabs';

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
      render: () => <SyncSettingsTab />,
    },
    {
      id: 'activity',
      label: i18n.t('options.tab.activity'),
      render: () => <ActivityTab />,
    },
    { id: 'about', label: i18n.t('options.tab.about'), render: () => <AboutTab /> },
  ];

  return (
    <main className="options">
      <h1>{i18n.t('options.title')}</h1>
      <Tabs label={i18n.t('options.tabsLabel')} tabs={tabs} selected={selected} onSelect={select} />
    </main>
  );
}
