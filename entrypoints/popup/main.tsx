import { createRoot } from 'react-dom/client';
import { i18n } from '#i18n';
import { PopupApp } from '@/components/popup/PopupApp';
import '@/components/styles.css';

// The language the extension's messages are served in, for screen readers and fonts.
document.documentElement.lang = i18n.t('extensionLocale');
document.title = i18n.t('popup.title');
createRoot(document.getElementById('root') as HTMLElement).render(<PopupApp />);
