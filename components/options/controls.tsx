/**
 * Accessible form controls of the options page. Every control has a visible label; its hint,
 * its "Set by your administrator" note and its error are tied to it with aria-describedby, so
 * a screen reader reads them with the field. Locked controls are disabled and say why.
 */
import { type ReactNode, useId } from 'react';
import { i18n } from '#i18n';

interface FieldText {
  label: string;
  hint?: ReactNode;
  /** The reason the last change was refused, shown under the control. */
  error?: string | null;
  /** Set by the administrator's policy: shown disabled, with a note. */
  locked?: boolean;
  /** Announces "Saved" after the last change of this field reached the worker. */
  saved?: boolean;
}

interface Described {
  describedBy: string | undefined;
  invalid: boolean;
}

/** The ids of the notes below a control, in reading order. */
function useNotes(id: string, { hint, error, locked }: FieldText): Described & { hintId: string; lockedId: string; errorId: string } {
  const hintId = `${id}-hint`;
  const lockedId = `${id}-locked`;
  const errorId = `${id}-error`;
  const ids = [error ? errorId : null, locked ? lockedId : null, hint ? hintId : null].filter(Boolean);
  return { hintId, lockedId, errorId, describedBy: ids.length ? ids.join(' ') : undefined, invalid: !!error };
}

function Notes({ id, hint, error, locked, saved }: FieldText & { id: string }) {
  return (
    <>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {locked && <LockedNote id={`${id}-locked`} />}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <span role="status" className="saved-note">
        {saved ? i18n.t('options.controls.saved') : ''}
      </span>
    </>
  );
}

/** A padlock drawn in SVG: an emoji would depend on the fonts of the rep's machine. */
export function LockIcon() {
  return (
    <svg className="lock-icon" width="12" height="14" viewBox="0 0 12 14" aria-hidden="true" focusable="false">
      <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  );
}

export function LockedNote({ id }: { id?: string }) {
  return (
    <p id={id} className="locked-note">
      <LockIcon /> {i18n.t('options.controls.setByAdmin')}
    </p>
  );
}

export interface Choice<V extends string> {
  value: V;
  label: string;
}

export function SelectControl<V extends string>(
  props: FieldText & { value: V; choices: readonly Choice<V>[]; onChange: (value: V) => void; busy?: boolean },
) {
  const id = useId();
  const notes = useNotes(id, props);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.locked}
        aria-describedby={notes.describedBy}
        aria-invalid={notes.invalid || undefined}
        aria-busy={props.busy || undefined}
        onChange={(event) => props.onChange(event.target.value as V)}
      >
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <Notes id={id} {...props} />
    </div>
  );
}

export function CheckboxControl(props: FieldText & { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  const notes = useNotes(id, props);
  return (
    <div className="field field-inline">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.locked}
        aria-describedby={notes.describedBy}
        aria-invalid={notes.invalid || undefined}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      <div className="field-notes">
        <Notes id={id} {...props} />
      </div>
    </div>
  );
}

/** Radio buttons in a fieldset whose legend is the label; arrow keys move between them (native). */
export function RadioGroupControl<V extends string>(
  props: FieldText & { value: V; choices: readonly Choice<V>[]; onChange: (value: V) => void },
) {
  const id = useId();
  const notes = useNotes(id, props);
  return (
    <fieldset className="field radio-group" disabled={props.locked} aria-describedby={notes.describedBy}>
      <legend>{props.label}</legend>
      {props.choices.map((choice) => (
        <div key={choice.value} className="radio">
          <input
            id={`${id}-${choice.value}`}
            type="radio"
            name={id}
            value={choice.value}
            checked={props.value === choice.value}
            aria-invalid={notes.invalid || undefined}
            onChange={() => props.onChange(choice.value)}
          />
          <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
        </div>
      ))}
      <Notes id={id} {...props} />
    </fieldset>
  );
}

interface TextLike extends FieldText {
  /** What the rep is typing; the parent keeps it so a refused value is never lost. */
  draft: string;
  onDraft: (text: string) => void;
  /** Called when the rep leaves the field or presses Enter (text) / Ctrl+Enter (lists). */
  onCommit: () => void;
  /** Rendered between the control and its notes, such as a live preview. */
  children?: ReactNode;
}

export function TextControl(
  props: TextLike & { inputMode?: 'text' | 'email' | 'numeric'; width?: 'short' | 'long'; placeholder?: string; suffix?: string },
) {
  const id = useId();
  const notes = useNotes(id, props);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="input-row">
        <input
          id={id}
          type="text"
          className={props.width === 'short' ? 'input-short' : 'input-long'}
          inputMode={props.inputMode}
          value={props.draft}
          placeholder={props.placeholder}
          disabled={props.locked}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={notes.describedBy}
          aria-invalid={notes.invalid || undefined}
          onChange={(event) => props.onDraft(event.target.value)}
          onBlur={props.onCommit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              props.onCommit();
            }
          }}
        />
        {props.suffix && <span className="input-suffix">{props.suffix}</span>}
      </div>
      {props.children}
      <Notes id={id} {...props} />
    </div>
  );
}

/** A list edited as text, one entry per line. */
export function ListControl(props: TextLike & { placeholder?: string }) {
  const id = useId();
  const notes = useNotes(id, props);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={4}
        value={props.draft}
        placeholder={props.placeholder}
        disabled={props.locked}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={notes.describedBy}
        aria-invalid={notes.invalid || undefined}
        onChange={(event) => props.onDraft(event.target.value)}
        onBlur={props.onCommit}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            props.onCommit();
          }
        }}
      />
      {props.children}
      <Notes id={id} {...props} />
    </div>
  );
}
