/**
 * Paces the related-to lookups (lib/logging/reading-pane.ts relatedOptions) a mail tab asks for.
 * The reading pane asks for every message not logged yet and the compose control when the rep
 * opens its choice; a page can forge either at will, so each tab gets the compose preview's
 * allowance of Salesforce calls (lib/outbox/match-preview.ts PREVIEW_RATE), and a repeated ask
 * for the same people within a minute (the messages of one thread) is answered from memory.
 */
import { createPreviewLimiter, PREVIEW_RATE } from '../outbox/match-preview';

/** How long one answer serves repeated asks; Accounts and open Opportunities rarely change within it. */
export const RELATED_ANSWER_MS = 60_000;
/** Answers remembered at once; the oldest is forgotten beyond this. */
const ANSWERS_KEPT = 50;

export function createRelatedPacing<T extends { ok: boolean }>(
  ask: (addresses: readonly string[]) => Promise<T>,
  now: () => number = Date.now,
) {
  const mayAsk = createPreviewLimiter(PREVIEW_RATE, now);
  const answers = new Map<string, { at: number; answer: Promise<T> }>();
  /** Null when the tab is over its allowance and the answer is not known. */
  return (addresses: readonly string[], tab: number | undefined): Promise<T> | null => {
    const key = [...new Set(addresses.map((a) => a.toLowerCase()))].sort().join(',');
    const known = answers.get(key);
    if (known && now() - known.at < RELATED_ANSWER_MS) return known.answer;
    if (tab !== undefined && !mayAsk(tab)) return null;
    const answer = ask(addresses);
    answers.delete(key);
    answers.set(key, { at: now(), answer });
    if (answers.size > ANSWERS_KEPT) answers.delete(answers.keys().next().value as string);
    // A failed ask is not remembered: the next one tries Salesforce again.
    const forget = () => answers.get(key)?.answer === answer && answers.delete(key);
    answer.then((found) => found.ok || forget(), forget);
    return answer;
  };
}
