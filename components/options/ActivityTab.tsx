/**
 * The Activity tab (README, "How email is logged"): every email and call the extension logged, is
 * logging, could not match, could not log or did not log, newest first, with the reason in
 * words, links to the records in Salesforce, Retry for failures, and search-and-assign for an
 * email nobody matched. Email content is shown as text only (React text nodes, never HTML).
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { i18n } from '#i18n';
import type { PersonMatch } from '@/lib/calls/search';
import type { ActivityRecord } from '@/lib/db';
import type { ExtensionError } from '@/lib/messages';
import type { ActivityView } from '@/lib/outbox/activity-actions';
import { RETRY_POLICY, type SalesforceErrorKind } from '@/lib/salesforce/errors';
import { errorText } from '../popup/explain';
import { useActivityStore } from './activity-store';

const SKIP_REASONS = [
  'noMatch',
  'noRecipients',
  'alreadyInSalesforce',
  'off',
  'turnedOff',
  'mailboxNotLogged',
  'neverLog',
  'internalOnly',
  'noBccAddress',
  'scheduled',
  'fromNotMailbox',
  'bccMissing',
  'discarded',
] as const;
type SkipReason = (typeof SKIP_REASONS)[number];
const NOTES = ['enhancedEmailUnavailable', 'taskSubtypeUnavailable', 'fromRelationUnavailable'] as const;

const isSalesforceKind = (value: string | undefined): value is SalesforceErrorKind =>
  value !== undefined && Object.hasOwn(RETRY_POLICY, value);
const isSkipReason = (value: string | undefined): value is SkipReason => (SKIP_REASONS as readonly (string | undefined)[]).includes(value);

const locale = () => i18n.t('extensionLocale');
const dateTime = (ms: number) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
const time = (ms: number) => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));

/** The sentence under a row's state: why it waits, failed or was not logged. */
export function reasonText(row: Pick<ActivityRecord, 'state' | 'reason' | 'detail'>): string | null {
  if (row.state === 'logged') return row.reason === 'bcc' ? i18n.t('options.activity.bcc') : null;
  if (row.state === 'skipped') return isSkipReason(row.reason) ? i18n.t(`options.activity.skipped.${row.reason}`) : null;
  if (row.reason === 'orgRule') return i18n.t('options.activity.orgRule');
  if (row.state === 'failed' && row.reason === 'duplicateNotRemoved') return i18n.t('options.activity.duplicateNotRemoved');
  if (row.reason === 'otherOrg') return i18n.t('options.activity.otherOrg', [row.detail ?? '']);
  return isSalesforceKind(row.reason) ? i18n.t(`salesforceProblem.${row.reason}`) : null;
}

export function ActivityTab() {
  const { status, view, load, follow, error } = useActivityStore();

  useEffect(() => {
    void load();
    return follow();
  }, [load, follow]);

  return (
    <>
      <h2>{i18n.t('options.activity.heading')}</h2>
      <p>{i18n.t('options.activity.intro')}</p>
      {!view && status === 'loading' && <p className="hint">{i18n.t('options.activity.loading')}</p>}
      {!view && status === 'failed' && (
        <div role="alert">
          <p>{i18n.t('options.activity.loadFailed')}</p>
          <button type="button" className="secondary" onClick={() => void load()}>
            {i18n.t('options.activity.reload')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="field-error">
          {i18n.t('options.activity.actionFailed', [errorText(error)])}
        </p>
      )}
      {view && <ActivityList view={view} />}
    </>
  );
}

function Summary({ view }: { view: ActivityView }) {
  const waiting = view.waiting && isSalesforceKind(view.waiting.kind) ? i18n.t(`salesforceProblem.${view.waiting.kind}`) : null;
  return (
    <div role="status" className="activity-summary">
      {view.failures > 0 && <p className="field-error">{i18n.t('options.activity.failures', [view.failures])}</p>}
      {waiting && (
        <p className="hint">
          {view.waiting?.until
            ? i18n.t('options.activity.waitingUntil', [waiting, time(view.waiting.until)])
            : i18n.t('options.activity.waiting', [waiting])}
        </p>
      )}
    </div>
  );
}

function ActivityList({ view }: { view: ActivityView }) {
  if (view.rows.length === 0) {
    return (
      <>
        <Summary view={view} />
        <p className="hint">{i18n.t('options.activity.empty')}</p>
      </>
    );
  }
  return (
    <>
      <Summary view={view} />
      <table className="activity-table">
        <thead>
          <tr>
            <th scope="col">{i18n.t('options.activity.column.when')}</th>
            <th scope="col">{i18n.t('options.activity.column.email')}</th>
            <th scope="col">{i18n.t('options.activity.column.recipients')}</th>
            <th scope="col">{i18n.t('options.activity.column.status')}</th>
            <th scope="col">{i18n.t('options.activity.column.salesforce')}</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <ActivityRow key={row.key} row={row} instanceUrl={view.instanceUrl} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function recipientsText(row: ActivityRecord): string {
  // A received email lists its sender first; the rep's own mailbox says nothing.
  const people = row.direction === 'inbound' ? row.recipients.filter((r) => r.email.toLowerCase() !== row.mailbox) : row.recipients;
  const shown = people.slice(0, 3).map((r) => r.name ?? r.email);
  return people.length > 3 ? `${shown.join(', ')} +${people.length - 3}` : shown.join(', ');
}

function ActivityRow({ row, instanceUrl }: { row: ActivityRecord; instanceUrl: string | null }) {
  const { busy, retry, choose } = useActivityStore();
  const [assigning, setAssigning] = useState(false);
  const reason = reasonText(row);
  const notes = (row.notes ?? []).filter((n): n is (typeof NOTES)[number] => (NOTES as readonly string[]).includes(n));
  return (
    <>
      <tr className={`activity-row state-${row.state}`}>
        <td>{dateTime(row.sentAt)}</td>
        <td>
          {row.kind === 'call' && <span className="hint">{i18n.t('options.activity.call')} · </span>}
          {row.kind === 'email' && (
            <span className="hint activity-direction" data-direction={row.direction ?? 'outbound'}>
              {i18n.t(row.direction === 'inbound' ? 'options.activity.direction.inbound' : 'options.activity.direction.outbound')} ·{' '}
            </span>
          )}
          {row.subject || i18n.t('options.activity.noSubject')}
        </td>
        <td title={row.recipients.map((r) => r.email).join(', ')}>{recipientsText(row)}</td>
        <td>
          <strong>{i18n.t(`options.activity.state.${row.state}`)}</strong>
          {reason && <div className="hint">{reason}</div>}
          {row.detail && row.state === 'failed' && <div className="hint">{i18n.t('options.activity.detail', [row.detail])}</div>}
          {row.fallback === 'bccMissing' && <div className="hint">{i18n.t('options.activity.bccFallback')}</div>}
          {notes.map((note) => (
            <div key={note} className="hint">
              {i18n.t(`options.activity.note.${note}`)}
            </div>
          ))}
          {(row.duplicates ?? []).map((d) => (
            <div key={d.email} className="hint">
              {d.name
                ? i18n.t('options.activity.duplicateLogged', [d.email, d.name])
                : i18n.t('options.activity.duplicateLeftOut', [d.email])}
            </div>
          ))}
          {row.unmatched && row.unmatched.length > 0 && (
            <div className="hint">{i18n.t('options.activity.unmatched', [row.unmatched.join(', ')])}</div>
          )}
          {row.state === 'failed' && (
            <button type="button" className="secondary" disabled={busy === row.key} onClick={() => void retry(row.key)}>
              {i18n.t('options.activity.retry')}
            </button>
          )}
          {row.reason === 'otherOrg' && row.state === 'queued' && (
            <div className="row-actions">
              <button type="button" className="secondary" disabled={busy === row.key} onClick={() => void choose(row.key, 'logHere')}>
                {i18n.t('options.activity.logHere')}
              </button>
              <button type="button" className="secondary" disabled={busy === row.key} onClick={() => void choose(row.key, 'discard')}>
                {i18n.t('options.activity.discard')}
              </button>
            </div>
          )}
          {row.state === 'unresolved' && !assigning && (
            <button type="button" className="secondary" onClick={() => setAssigning(true)}>
              {i18n.t('options.activity.assign')}
            </button>
          )}
        </td>
        <td>
          <Records row={row} instanceUrl={instanceUrl} />
        </td>
      </tr>
      {assigning && row.state === 'unresolved' && (
        <tr>
          <td colSpan={5}>
            <AssignForm row={row} onClose={() => setAssigning(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

const typeLabel = (type: string) => (type === 'Lead' ? i18n.t('options.activity.lead') : i18n.t('options.activity.contact'));

function RecordLink({ id, label, instanceUrl }: { id: string; label: string; instanceUrl: string | null }) {
  // Only Salesforce ids become links, and only to the connected instance.
  if (!instanceUrl || !/^[a-zA-Z0-9]{15,18}$/.test(id)) return <span>{label}</span>;
  return (
    <a href={`${instanceUrl}/${id}`} target="_blank" rel="noreferrer" title={i18n.t('options.activity.openRecord', [label])}>
      {label}
    </a>
  );
}

function Records({ row, instanceUrl }: { row: ActivityRecord; instanceUrl: string | null }) {
  const people = row.matched.filter((m) => m.id !== '');
  if (people.length === 0 && row.loggedIds.length === 0) return null;
  return (
    <ul className="activity-records">
      {people.map((m) => (
        <li key={m.id}>
          <RecordLink id={m.id} label={`${m.name ?? m.email ?? m.id} (${typeLabel(m.type)})`} instanceUrl={instanceUrl} />
        </li>
      ))}
    </ul>
  );
}

function AssignForm({ row, onClose }: { row: ActivityRecord; onClose: () => void }) {
  const { search, assign, busy } = useActivityStore();
  const inputId = useId();
  const [query, setQuery] = useState(row.unmatched?.[0] ?? '');
  const [results, setResults] = useState<PersonMatch[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<ExtensionError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSearching(true);
    setProblem(null);
    try {
      setResults(await search(query));
    } catch (error) {
      setProblem((error as { error?: ExtensionError }).error ?? { kind: 'internal', message: String(error) });
    } finally {
      setSearching(false);
    }
  };

  return (
    <section className="assign" aria-label={i18n.t('options.activity.assignHeading')}>
      <form onSubmit={(e) => void submit(e)} className="input-row">
        <label htmlFor={inputId}>{i18n.t('options.activity.searchLabel')}</label>
        <input
          id={inputId}
          type="search"
          value={query}
          placeholder={i18n.t('options.activity.searchPlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
          maxLength={200}
        />
        <button type="submit" className="secondary" disabled={searching}>
          {searching ? i18n.t('options.activity.searching') : i18n.t('options.activity.search')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {i18n.t('options.activity.cancel')}
        </button>
      </form>
      {problem && (
        <p role="alert" className="field-error">
          {errorText(problem)}
        </p>
      )}
      {results && results.length === 0 && <p className="hint">{i18n.t('options.activity.searchEmpty')}</p>}
      {results && results.length > 0 && (
        <ul className="assign-results">
          {results.map((person) => (
            <li key={person.id}>
              <span>
                {person.name} ({typeLabel(person.type)}){person.company ? ` · ${person.company}` : ''}
                {person.email ? ` · ${person.email}` : ''}
              </span>{' '}
              <button type="button" className="primary" disabled={busy === row.key} onClick={() => void assign(row.key, person)}>
                {i18n.t('options.activity.assignTo', [person.name])}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
