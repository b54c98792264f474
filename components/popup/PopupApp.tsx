import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { TaskSyncStatus } from '../sync/TaskSyncStatus';
import { CommandCenter } from './CommandCenter';
import { ConnectionSummary } from './ConnectionSummary';
import { LogCall } from './LogCall';

export function PopupApp() {
  return (
    <main className="popup">
      <header className="popup-header">
        <h1>{i18n.t('popup.title')}</h1>
        <button type="button" className="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('popup.openSettings')}
        </button>
      </header>
      <ConnectionSummary />
      <TaskSyncStatus compact />
      <CommandCenter />
      <LogCall />
    </main>
  );
}
