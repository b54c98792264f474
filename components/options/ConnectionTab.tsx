/**
 * The Connection tab (README, "For Salesforce admins: connecting an org"): pick the environment, connect through
 * Salesforce's own login, see who and where you are connected and what the connection costs
 * the org, and disconnect. Each state reads at a glance: a symbol, a title and one sentence.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { ExtensionError } from '@/lib/messages';
import type { ConnectionProblem, ConnectionState, ConnectionStatus, ConnectionView } from '@/lib/salesforce/connection-state';
import { loopbackAllowed, type MyDomainProblem, parseMyDomain, type SalesforceEnvironment } from '@/lib/salesforce/hosts';
import type { OrgCheck } from '@/lib/salesforce/org-check';
import { CALL_PURPOSES } from '@/lib/salesforce/usage';
import { useConnectionStore } from '../connection-store';
import { RadioGroupControl, TextControl } from './controls';

const STATUS_SYMBOL: Record<ConnectionStatus, string> = {
  notConnected: '○',
  connecting: '…',
  connected: '✓',
  reconnectNeeded: '!',
  noApiAccess: '✕',
  unreachable: '⟳',
};

const uiLanguage = () => browser.i18n.getUILanguage();
const time = (ms: number) => new Date(ms).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
const number = (n: number) => n.toLocaleString(uiLanguage());
const dateTime = (ms: number) => new Date(ms).toLocaleString(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });

export function ConnectionTab() {
  const { status, view, stored, busy, error, load, follow } = useConnectionStore();

  useEffect(() => {
    void load();
    return follow();
  }, [load, follow]);

  return (
    <>
      <h2>{i18n.t('options.connection.heading')}</h2>
      <p>{i18n.t('options.connection.intro')}</p>
      {!view && status === 'loading' && stored && <StatusPanel state={stored} />}
      {!view && status === 'loading' && <p className="hint">{i18n.t('options.connection.loading')}</p>}
      {!view && status === 'failed' && (
        <div role="alert">
          <p>{i18n.t('options.connection.loadFailed')}</p>
          <button type="button" className="secondary" onClick={() => void load()}>
            {i18n.t('options.connection.retry')}
          </button>
        </div>
      )}
      {view && <Connection view={view} busy={busy} error={error} />}
    </>
  );
}

function Connection({ view, busy, error }: { view: ConnectionView; busy: string | null; error: ExtensionError | null }) {
  const { state } = view;
  const showDetails =
    state.profile && (state.status === 'connected' || state.status === 'unreachable' || state.status === 'reconnectNeeded');
  const canSignIn =
    state.status === 'notConnected' ||
    state.status === 'connecting' ||
    state.status === 'reconnectNeeded' ||
    state.status === 'noApiAccess';
  return (
    <>
      <StatusPanel state={state} />
      {error && (
        <p role="alert" className="field-error">
          {requestErrorText(error)}
        </p>
      )}
      {showDetails && state.profile && <Details view={view} />}
      {showDetails && view.orgCheck && <OrgCheckPanel check={view.orgCheck} />}
      {(state.status === 'connected' || state.status === 'unreachable') && <ConnectedActions state={state} busy={busy} />}
      {canSignIn && <SignInForm view={view} busy={busy} />}
    </>
  );
}

function StatusPanel({ state }: { state: ConnectionState }) {
  const titleId = useId();
  const { status, problem } = state;
  const text =
    status === 'unreachable'
      ? i18n.t('options.connection.status.unreachable.text', [time(state.retryAt ?? Date.now())])
      : status === 'noApiAccess' && problem?.errorCode === 'API_CURRENTLY_DISABLED'
        ? i18n.t('options.connection.status.noApiAccess.userText')
        : i18n.t(`options.connection.status.${status}.text`);
  // The reason of the last connect attempt, or of a disconnect Salesforce was not told about.
  const lastAttempt = problem && (status === 'notConnected' || status === 'reconnectNeeded') ? problemText(problem) : null;
  return (
    <section className={`connection-status connection-${status}`} aria-labelledby={titleId} aria-live="polite" data-status={status}>
      <p id={titleId} className="connection-title">
        <span aria-hidden="true" className="connection-symbol">
          {STATUS_SYMBOL[status]}
        </span>{' '}
        {i18n.t(`options.connection.status.${status}.title`)}
      </p>
      <p>{text}</p>
      {status === 'noApiAccess' && (
        <p>
          {i18n.t('options.connection.status.noApiAccess.bcc')}{' '}
          <a href="#sync">{i18n.t('options.connection.status.noApiAccess.bccLink')}</a>
        </p>
      )}
      {lastAttempt && <p className="connection-problem">{lastAttempt}</p>}
    </section>
  );
}

export function problemText(problem: ConnectionProblem): string {
  if (problem.errorCode === 'REVOKE_FAILED') return i18n.t('options.connection.problem.revokeFailed');
  if (problem.errorCode === 'no_refresh_token') return i18n.t('options.connection.problem.noRefreshToken');
  switch (problem.kind) {
    case 'authCancelled':
      return i18n.t('options.connection.problem.authCancelled');
    case 'authFailed':
      return i18n.t('options.connection.problem.authFailed', [problem.message]);
    case 'offline':
      return i18n.t('options.connection.problem.offline');
    case 'salesforceDown':
      return i18n.t('options.connection.problem.salesforceDown');
    case 'reconnectNeeded':
      return i18n.t('options.connection.status.reconnectNeeded.text');
    default:
      return i18n.t('options.connection.problem.other', [problem.message]);
  }
}

function requestErrorText(error: ExtensionError): string {
  if (error.kind === 'settingLocked') return i18n.t('options.connection.problem.settingLocked');
  if (error.kind === 'settingInvalid') return i18n.t('options.connection.myDomain.problem.notMyDomain');
  if (error.kind === 'settingsStorageFull') return i18n.t('errors.settingsStorageFull');
  return i18n.t('options.connection.problem.internal');
}

function Details({ view }: { view: ConnectionView }) {
  const profile = view.state.profile;
  if (!profile) return null;
  const { org, today, pausedUntil } = view.usage;
  const ours = CALL_PURPOSES.reduce((sum, p) => sum + today[p], 0);
  const rows: [string, string][] = [
    [i18n.t('options.connection.details.user'), profile.userName],
    [i18n.t('options.connection.details.username'), profile.username],
    [i18n.t('options.connection.details.org'), profile.orgName],
    [i18n.t('options.connection.details.orgId'), profile.orgId],
    [i18n.t('options.connection.details.instance'), new URL(profile.instanceUrl).host],
    [i18n.t('options.connection.details.apiVersion'), profile.apiVersion],
  ];
  return (
    <section className="card connection-details" aria-labelledby="connection-details-heading">
      <h3 id="connection-details-heading">{i18n.t('options.connection.details.heading')}</h3>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term} className="detail-row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h4>{i18n.t('options.connection.details.usageHeading')}</h4>
      <dl>
        <div className="detail-row">
          <dt>{i18n.t('options.connection.details.orgUsage')}</dt>
          <dd data-testid="org-usage">
            {org
              ? i18n.t('options.connection.details.orgUsageValue', [
                  number(org.used),
                  number(org.max),
                  String(Math.round((org.used / org.max) * 100)),
                ])
              : i18n.t('options.connection.details.orgUsageUnknown')}
          </dd>
        </div>
        <div className="detail-row">
          <dt>{i18n.t('options.connection.details.ourUsage')}</dt>
          <dd data-testid="our-usage">
            {i18n.t('options.connection.details.ourUsageValue', [
              number(ours),
              number(today.match),
              number(today.log),
              number(today.sync),
              number(today.connect),
            ])}
          </dd>
        </div>
      </dl>
      {pausedUntil !== null && pausedUntil > Date.now() && (
        <p className="connection-problem">{i18n.t('options.connection.details.paused', [time(pausedUntil)])}</p>
      )}
    </section>
  );
}

/** What the org will do to the extension's writes: one line each, with what to do about it. */
function OrgCheckPanel({ check }: { check: OrgCheck }) {
  const list = (names: string[] | undefined) => (names ?? []).join(', ');
  return (
    <section className="card org-check" aria-labelledby="org-check-heading">
      <h3 id="org-check-heading">{i18n.t('options.connection.orgCheck.heading')}</h3>
      <p className="hint">{i18n.t('options.connection.orgCheck.intro', [dateTime(check.checkedAt)])}</p>
      <ul>
        {check.findings.map((finding) => (
          <li key={finding.id} data-finding={finding.id} className={finding.attention ? 'attention' : 'fine'}>
            <span aria-hidden="true">{finding.attention ? '!' : '✓'} </span>
            {i18n.t(`options.connection.orgCheck.${finding.id}`, [list(finding.names)])}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ConnectedActions({ state, busy }: { state: ConnectionState; busy: string | null }) {
  const { check, disconnect } = useConnectionStore();
  const checkLabel =
    busy === 'check'
      ? i18n.t('options.connection.checking')
      : state.status === 'unreachable'
        ? i18n.t('options.connection.tryNow')
        : i18n.t('options.connection.check');
  return (
    <div className="button-row">
      <button
        type="button"
        className="secondary"
        disabled={busy !== null}
        aria-busy={busy === 'check' || undefined}
        onClick={() => void check()}
      >
        {checkLabel}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={busy !== null}
        aria-busy={busy === 'disconnect' || undefined}
        onClick={() => void disconnect()}
      >
        {busy === 'disconnect' ? i18n.t('options.connection.disconnecting') : i18n.t('options.connection.disconnect')}
      </button>
    </div>
  );
}

function SignInForm({ view, busy }: { view: ConnectionView; busy: string | null }) {
  const { connect, disconnect } = useConnectionStore();
  const [environment, setEnvironment] = useState<SalesforceEnvironment>(view.environment);
  const [myDomain, setMyDomain] = useState(view.myDomain);
  const [domainProblem, setDomainProblem] = useState<MyDomainProblem | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const status = view.state.status;
  const connecting = status === 'connecting' || busy === 'connect';

  // An administrator's choice wins, also when policy changes while the page is open.
  useEffect(() => {
    if (view.locked.environment) setEnvironment(view.environment);
    if (view.locked.myDomain) setMyDomain(view.myDomain);
  }, [view.locked.environment, view.locked.myDomain, view.environment, view.myDomain]);

  const checkDomain = (): boolean => {
    if (environment !== 'custom') return true;
    const parsed = parseMyDomain(myDomain, { allowLoopback: loopbackAllowed() });
    setDomainProblem(parsed.ok ? null : parsed.problem);
    return parsed.ok;
  };

  const submit = () => {
    if (!checkDomain()) {
      form.current?.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
      return;
    }
    void connect(environment, myDomain.trim());
  };

  return (
    <form
      ref={form}
      className="card connection-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <RadioGroupControl
        label={i18n.t('options.connection.environment.label')}
        value={environment}
        locked={view.locked.environment}
        choices={(['production', 'sandbox', 'custom'] as const).map((value) => ({
          value,
          label: i18n.t(`options.connection.environment.${value}`),
        }))}
        onChange={(value) => {
          setEnvironment(value);
          setDomainProblem(null);
        }}
      />
      {environment === 'custom' && (
        <TextControl
          label={i18n.t('options.connection.myDomain.label')}
          hint={i18n.t('options.connection.myDomain.hint')}
          placeholder={i18n.t('options.connection.myDomain.placeholder')}
          draft={myDomain}
          locked={view.locked.myDomain}
          error={domainProblem ? i18n.t(`options.connection.myDomain.problem.${domainProblem}`) : null}
          onDraft={(text) => {
            setMyDomain(text);
            if (domainProblem) setDomainProblem(null);
          }}
          onCommit={() => {
            if (myDomain.trim() !== '') checkDomain();
          }}
        />
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={connecting || busy !== null} aria-busy={connecting || undefined}>
          {connecting
            ? i18n.t('options.connection.connecting')
            : status === 'reconnectNeeded'
              ? i18n.t('options.connection.reconnect')
              : i18n.t('options.connection.connect')}
        </button>
        {status === 'reconnectNeeded' && (
          <button type="button" className="secondary" disabled={busy !== null} onClick={() => void disconnect()}>
            {busy === 'disconnect' ? i18n.t('options.connection.disconnecting') : i18n.t('options.connection.disconnect')}
          </button>
        )}
      </div>
    </form>
  );
}
