/** The one-way-at-a-time switch of the "Log email activity to Salesforce" card. */
import { i18n } from '#i18n';
import type { Way } from './EmailLoggingCard';
import { useSettingLocked, useSettingsStore, useSettingValue } from './settings-store';

/** "Active" for the way that logs, or the button that makes this way the one. */
export function ActivateWay({ way, blockedReason }: { way: Way; blockedReason?: string | null }) {
  const active = useSettingValue('emailLogging');
  const locked = useSettingLocked('emailLogging');
  const change = useSettingsStore((s) => s.change);
  if (active === way) return <p className="badge-active">{i18n.t('options.emailLogging.active')}</p>;
  if (locked) return null;
  const reasonId = `activate-${way}-reason`;
  return (
    <div className="activate">
      <button
        type="button"
        className="primary"
        disabled={!!blockedReason}
        aria-describedby={blockedReason ? reasonId : undefined}
        onClick={() => void change('emailLogging', way)}
      >
        {i18n.t('options.emailLogging.activate')}
      </button>
      {blockedReason && (
        <p id={reasonId} className="hint">
          {blockedReason}
        </p>
      )}
    </div>
  );
}
