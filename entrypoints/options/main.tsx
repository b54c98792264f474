import { createRoot } from 'react-dom/client';
import { i18n } from '#i18n';
import { readStoredConnectionEarly } from '@/components/connection-store';
import { OptionsApp } from '@/components/options/OptionsApp';
import '@/components/styles.css';

readStoredConnectionEarly();
// The language the extension's messages are served in, for screen readers and fonts.
document.documentElement.lang = i18n.t('extensionLocale');
document.title = i18n.t('options.title');
createRoot(document.getElementById('root') as HTMLElement).render(<OptionsApp />);
