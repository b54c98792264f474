/**
 * Where task sync stands, in the popup and on the Sync settings card: the last run and what it
 * did or why it failed, a progress bar while the first sync imports, "Sync now", and the
 * changes the conflict rule overruled. Read live from the database, where the worker keeps it.
 */
import { liveQuery } from 'dexie';
import { useEffect, useId, useState } from 'react';
import { i18n } from '#i18n';
import { database } from '@/lib/db';
import { type ExtensionError, extensionErrorOf } from '@/lib/messages';
import { loadSettings, type Settings, watchSettings } from '@/lib/settings';
import type { SyncedField } from '@/lib/sync/fields';
import { type ConflictNote, isRunning, readStatus, type TaskSyncStatus as Status } from '@/lib/sync/status';
import { errorText, formatAgo, salesforceProblemText } from '../popup/explain';
import { askWorker } from '../worker';

function useSyncStatus(): Status | null {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    const subscription = liveQuery(() => readStatus(database())).subscribe({ next: setStatus });
    return () => subscription.unsubscribe();
  }, []);
  return status;
}

function useSyncMode(): Settings['taskSync'] | null {
  const [mode, setMode] = useState<Settings['taskSync'] | null>(null);
  useEffect(() => {
    void loadSettings().then(({ values }) => setMode(values.taskSync));
    return watchSettings(({ values }) => setMode(values.taskSync));
  }, []);
  return mode;
}

/** Re-renders every half minute, so "3 minutes ago" stays true and a dead run stops showing as running. */
function useClock(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function fieldName(field: SyncedField | 'task'): string {
  return i18n.t(`taskSync.field.${field}`);
}

function conflictText(note: ConflictNote): string {
  const subject = note.subject || i18n.t('tasks.noSubject');
  switch (note.kept) {
    case 'salesforce':
      return i18n.t('taskSync.conflict.salesforce', [subject, fieldName(note.field)]);
    case 'completion':
      return i18n.t('taskSync.conflict.completion', [subject]);
    case 'deletionHere':
      return i18n.t('taskSync.conflict.deletionHere', [subject]);
    case 'deletionInSalesforce':
      return i18n.t('taskSync.conflict.deletionInSalesforce', [subject]);
    case 'archivedInSalesforce':
      return i18n.t('taskSync.conflict.archivedInSalesforce', [subject]);
    case 'reassignedInSalesforce':
      return i18n.t('taskSync.conflict.reassignedInSalesforce', [subject]);
  }
}

export function TaskSyncStatus({ compact = false }: { compact?: boolean }) {
  const id = useId();
  const status = useSyncStatus();
  const mode = useSyncMode();
  const now = useClock();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ExtensionError | null>(null);

  if (!status || !mode) return null;
  if (mode === 'off') return compact ? <p className="hint small task-sync-status">{i18n.t('taskSync.off')}</p> : null;

  const running = asking || isRunning(status, now);
  const last = status.last;
  const progress = running ? status.importProgress : null;

  const syncNow = async () => {
    setAsking(true);
    setError(null);
    try {
      await askWorker('taskSync/syncNow', {});
    } catch (e) {
      setError(extensionErrorOf(e));
    } finally {
      setAsking(false);
    }
  };

  return (
    <section className={`task-sync-status${compact ? ' compact' : ''}`} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className={compact ? 'visually-hidden' : undefined}>
        {i18n.t('taskSync.heading')}
      </h3>
      <div className="sync-line">
        <p aria-live="polite" className={last && !last.ok && !running ? 'field-error' : undefined}>
          {running
            ? progress
              ? progress.total !== null
                ? i18n.t('taskSync.importing', [String(Math.min(progress.done, progress.total)), String(progress.total)])
                : i18n.t('taskSync.importingUnknown', [String(progress.done)])
              : i18n.t('taskSync.syncing')
            : !last
              ? i18n.t('taskSync.never')
              : last.ok
                ? i18n.t('taskSync.lastSynced', [formatAgo(last.at, now)])
                : i18n.t('taskSync.failed', [salesforceProblemText(last.error?.kind ?? 'rejected')])}
        </p>
        <button type="button" onClick={() => void syncNow()} disabled={running}>
          {i18n.t('taskSync.syncNow')}
        </button>
      </div>
      {progress && (
        <progress
          className="sync-progress"
          aria-label={i18n.t('taskSync.progressLabel')}
          value={progress.total !== null ? Math.min(progress.done, progress.total) : undefined}
          max={progress.total ?? undefined}
        />
      )}
      {!compact && last?.ok && !running && (
        <p className="hint small">{i18n.t('taskSync.result', [String(last.pulled), String(last.pushed), String(last.removed)])}</p>
      )}
      {!compact && !last?.ok && status.lastSuccessAt && (
        <p className="hint small">{i18n.t('taskSync.lastSuccess', [formatAgo(status.lastSuccessAt, now)])}</p>
      )}
      {error && (
        <p role="alert" className="field-error">
          {errorText(error)}
        </p>
      )}
      {status.conflicts.length > 0 && (
        <details className="conflicts">
          <summary>{i18n.t('taskSync.conflicts', [String(status.conflicts.length)])}</summary>
          <ul>
            {status.conflicts.map((note) => (
              <li key={`${note.taskId}-${note.field}-${note.at}`}>{conflictText(note)}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
