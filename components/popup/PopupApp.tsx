import { browser } from 'wxt/browser';
import { i18n } from '#i18n';

export function PopupApp() {
  return (
    <main className="popup">
      <header className="popup-header">
        <h1>{i18n.t('popup.title')}</h1>
        <button type="button" className="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('popup.openSettings')}
        </button>
      </header>
      <section aria-labelledby="connection-status">
        <p id="connection-status" className="status">
          {i18n.t('popup.statusNotConnected')}
        </p>
        <p className="hint">{i18n.t('popup.statusHint')}</p>
      </section>
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">{i18n.t('popup.tasksHeading')}</h2>
        <p className="hint">{i18n.t('popup.tasksEmpty')}</p>
      </section>
    </main>
  );
}
