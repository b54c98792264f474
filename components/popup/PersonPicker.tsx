/**
 * Picks a Contact or Lead: recent people from the local address cache at once, then matches
 * from Salesforce's search (through the worker) by name, phone or email. A WAI-ARIA combobox:
 * arrows move through the list, Enter picks, Escape closes.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { i18n } from '#i18n';
import type { PersonMatch } from '@/lib/calls/search';
import { recentPeople } from '@/lib/calls/search';
import { database } from '@/lib/db';
import { MessageError } from '@/lib/messages';
import { askWorker } from '../worker';
import { salesforceProblemText } from './explain';

interface Props {
  label: string;
  value: PersonMatch | null;
  onChange: (person: PersonMatch | null) => void;
  invalid?: string | undefined;
}

const SEARCH_DELAY_MS = 300;

export function PersonPicker({ label, value, onChange, invalid }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [recent, setRecent] = useState<PersonMatch[]>([]);
  const [found, setFound] = useState<PersonMatch[]>([]);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const request = useRef(0);

  useEffect(() => {
    if (!open) return;
    const mine = ++request.current;
    void recentPeople(database(), text).then((people) => {
      if (mine === request.current) setRecent(people);
    });
    setFound([]);
    setProblem(null);
    if (text.trim().length < 2) return;
    setSearching(true);
    const timer = setTimeout(() => {
      askWorker('calls/searchPeople', { query: text })
        .then((people) => {
          if (mine === request.current) setFound(people);
        })
        .catch((error: unknown) => {
          if (mine !== request.current) return;
          setProblem(
            error instanceof MessageError && error.error.salesforce
              ? salesforceProblemText(error.error.salesforce)
              : i18n.t('errors.internal'),
          );
        })
        .finally(() => {
          if (mine === request.current) setSearching(false);
        });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, open]);

  const seen = new Set(recent.map((p) => p.id));
  const options = [...recent, ...found.filter((p) => !seen.has(p.id))];
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;

  const pick = (person: PersonMatch) => {
    onChange(person);
    setText('');
    setOpen(false);
  };

  if (value) {
    return (
      <fieldset className="field">
        <legend className="field-label">{label}</legend>
        <div className="picked">
          <span>
            {value.name} <span className="hint">({i18n.t(value.type === 'Contact' ? 'picker.contact' : 'picker.lead')})</span>
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => onChange(null)}
            aria-label={i18n.t('picker.clearLabel', [value.name])}
          >
            {i18n.t('picker.clear')}
          </button>
        </div>
      </fieldset>
    );
  }

  return (
    <div className="field picker">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? `${id}-problem` : undefined}
        aria-activedescendant={open && options[active] ? optionId(active) : undefined}
        placeholder={i18n.t('picker.placeholder')}
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(i + 1, Math.max(0, options.length - 1)));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (event.key === 'Enter' && open && options[active]) {
            event.preventDefault();
            pick(options[active] as PersonMatch);
          } else if (event.key === 'Escape' && open) {
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {invalid && (
        <p id={`${id}-problem`} className="field-error">
          {invalid}
        </p>
      )}
      {open && (
        <div id={listId} role="listbox" className="picker-list" aria-label={label}>
          {options.map((person, i) => (
            <div
              key={person.id}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(person);
              }}
            >
              <span className="person-name">{person.name}</span>{' '}
              <span className="hint">
                {i18n.t(person.type === 'Contact' ? 'picker.contact' : 'picker.lead')}
                {person.company ? ` · ${person.company}` : ''}
                {person.email ? ` · ${person.email}` : person.phone ? ` · ${person.phone}` : ''}
              </span>
            </div>
          ))}
        </div>
      )}
      {open && (
        <p className="hint" aria-live="polite">
          {searching
            ? i18n.t('picker.searching')
            : problem
              ? i18n.t('picker.searchFailed', [problem])
              : text.trim().length >= 2 && options.length === 0
                ? i18n.t('picker.noMatch')
                : ''}
        </p>
      )}
    </div>
  );
}
