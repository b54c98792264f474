/**
 * "Log a call": who the call was with (searched by name, phone or email), its type, duration,
 * outcome, reason and notes. Saved through the worker's durable outbox as a Salesforce Task
 * with TaskSubtype Call, so nothing is lost offline.
 */
import { type FormEvent, useId, useState } from 'react';
import { i18n } from '#i18n';
import { CALL_TYPES, type CallType, checkCall, parseDuration } from '@/lib/calls/model';
import type { PersonMatch } from '@/lib/calls/search';
import { MessageError } from '@/lib/messages';
import { askWorker } from '../worker';
import { errorText } from './explain';
import { PersonPicker } from './PersonPicker';

const OUTCOMES = ['connected', 'voicemail', 'noAnswer', 'busy', 'wrongNumber'] as const;

export function LogCall() {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [who, setWho] = useState<PersonMatch | null>(null);
  const [callType, setCallType] = useState<CallType>('Outbound');
  const [duration, setDuration] = useState('');
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [notes, setNotes] = useState('');
  const [problems, setProblems] = useState<{ who?: string; duration?: string; form?: string }>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const reset = () => {
    setWho(null);
    setCallType('Outbound');
    setDuration('');
    setOutcome('');
    setReason('');
    setNotes('');
    setProblems({});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const seconds = parseDuration(duration);
    const found: typeof problems = {};
    if (!who) found.who = i18n.t('calls.problem.who');
    if (seconds === null || seconds > 86_400) found.duration = i18n.t('calls.problem.duration');
    if (found.who || found.duration) {
      setProblems(found);
      return;
    }
    const call = { who: who as PersonMatch, callType, durationSeconds: seconds as number, outcome, reason, notes, at: Date.now() };
    const { id: personId, type, name, email } = call.who;
    const checked = checkCall({ ...call, who: { id: personId, type, name, ...(email ? { email } : {}) } });
    if (!checked.ok) {
      setProblems({ form: i18n.t('calls.problem.tooLong') });
      return;
    }
    setSaving(true);
    try {
      await askWorker('calls/log', { call: checked.value });
      setSaved(i18n.t('calls.queued', [checked.value.who.name]));
      reset();
      setOpen(false);
    } catch (error) {
      setProblems({ form: error instanceof MessageError ? errorText(error.error) : i18n.t('errors.internal') });
    } finally {
      setSaving(false);
    }
  };

  if (!open) {
    return (
      <section aria-labelledby={`${id}-heading`} className="log-call">
        <h2 id={`${id}-heading`} className="visually-hidden">
          {i18n.t('calls.heading')}
        </h2>
        <button
          type="button"
          onClick={() => {
            setSaved(null);
            setOpen(true);
          }}
        >
          {i18n.t('calls.open')}
        </button>
        {saved && (
          <p role="status" className="saved-note">
            {saved}
          </p>
        )}
      </section>
    );
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="log-call">
      <form
        onSubmit={(e) => void submit(e)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            setOpen(false);
          }
        }}
      >
        <h2 id={`${id}-heading`}>{i18n.t('calls.heading')}</h2>
        <PersonPicker label={i18n.t('calls.who')} value={who} onChange={setWho} invalid={problems.who} />
        <fieldset className="field">
          <legend className="field-label">{i18n.t('calls.callType')}</legend>
          {CALL_TYPES.map((type) => (
            <label key={type} className="inline">
              <input type="radio" name={`${id}-type`} value={type} checked={callType === type} onChange={() => setCallType(type)} />{' '}
              {i18n.t(`calls.type.${type}`)}
            </label>
          ))}
        </fieldset>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-duration`} className="field-label">
              {i18n.t('calls.duration')}
            </label>
            <input
              id={`${id}-duration`}
              type="text"
              inputMode="numeric"
              placeholder="4:30"
              value={duration}
              aria-invalid={problems.duration ? true : undefined}
              aria-describedby={`${id}-duration-hint`}
              onChange={(e) => setDuration(e.target.value)}
            />
            <p id={`${id}-duration-hint`} className={problems.duration ? 'field-error' : 'hint small'}>
              {problems.duration ?? i18n.t('calls.durationHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-outcome`} className="field-label">
              {i18n.t('calls.outcome')}
            </label>
            <input
              id={`${id}-outcome`}
              type="text"
              list={`${id}-outcomes`}
              maxLength={255}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
            />
            <datalist id={`${id}-outcomes`}>
              {OUTCOMES.map((o) => (
                <option key={o} value={i18n.t(`calls.outcomes.${o}`)} />
              ))}
            </datalist>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`} className="field-label">
            {i18n.t('calls.reason')}
          </label>
          <input id={`${id}-reason`} type="text" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-notes`} className="field-label">
            {i18n.t('calls.notes')}
          </label>
          <textarea id={`${id}-notes`} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        {problems.form && (
          <p role="alert" className="field-error">
            {problems.form}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {i18n.t('calls.save')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {i18n.t('calls.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
