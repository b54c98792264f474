/**
 * The "Related to" choice of the compose and reading-pane controls: the Accounts and open
 * Opportunities of the email's people (lib/logging/reading-pane.ts, relatedOptions), with the
 * settings' rule preselected. The empty value leaves the choice to the rule.
 */
import type { RelatedOption } from '../logging/reading-pane';
import { t } from './ui-text';

export interface RelatedChoices {
  options: RelatedOption[];
  preselected: string;
}

/** The choice as a select, showing `chosen` when it is one of the options, else the rule's. */
export function relatedSelect(doc: Document, related: RelatedChoices, chosen: string | undefined): HTMLSelectElement {
  const select = doc.createElement('select');
  select.setAttribute('aria-label', t('reading.relatedTo'));
  select.append(new Option(t('reading.relatedNone'), ''));
  for (const o of related.options) select.append(new Option(`${o.name} (${o.type})`, o.id));
  select.value = related.options.some((o) => o.id === chosen) ? (chosen as string) : related.preselected;
  return select;
}
