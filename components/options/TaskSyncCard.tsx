/**
 * "Sync tasks/reminders to Salesforce tasks" (README, "Task sync"): whether and how often the
 * rep's tasks follow their Salesforce Tasks. The sync's own state (last sync, "Sync now",
 * first-sync progress) sits below the preferences.
 */
import { i18n } from '#i18n';
import { TaskSyncStatus } from '../sync/TaskSyncStatus';
import { SettingCheckbox, SettingNumber, SettingSelect } from './setting-fields';

export function TaskSyncCard() {
  return (
    <section className="card" aria-labelledby="task-sync-heading">
      <h3 id="task-sync-heading">{i18n.t('options.taskSync.heading')}</h3>
      <TaskSyncPreferences />
      <TaskSyncStatus />
    </section>
  );
}

function TaskSyncPreferences() {
  return (
    <div className="task-sync-preferences">
      <SettingSelect setting="taskSync" hint={i18n.t('options.taskSync.firstSyncHint')} />
      <SettingNumber
        setting="taskSyncIntervalMinutes"
        suffix={i18n.t('options.taskSync.intervalUnit')}
        hint={i18n.t('options.taskSync.intervalHint')}
      />
      <SettingCheckbox setting="reminders" />
    </div>
  );
}
