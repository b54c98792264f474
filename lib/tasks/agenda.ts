/**
 * What the command center shows: open overdue tasks first, then today's and tomorrow's. Every
 * read walks an index over the rows it returns (and stops at a limit), so opening the popup
 * costs the same with 50 or 50,000 tasks.
 */
import type { ExtensionDatabase, LocalTask } from '../db';
import { addDays } from './model';

/** Overdue tasks shown before "show more"; a rep with hundreds needs a report, not a list. */
export const OVERDUE_PAGE = 50;
/** A guard for a day with an absurd number of tasks; the rest show under "show more". */
export const DAY_LIMIT = 300;
/** Extra overdue rows read so that a few deleted ones do not shorten the page. */
const DELETED_MARGIN = 10;

export interface Agenda {
  today: string;
  overdue: LocalTask[];
  /** True when more overdue tasks exist than were read. */
  moreOverdue: boolean;
  dueToday: LocalTask[];
  dueTomorrow: LocalTask[];
}

const PRIORITY_ORDER = { High: 0, Normal: 1, Low: 2 } as const;

/** Open before completed, then High before Normal before Low, then by name. */
export function byAgendaOrder(a: LocalTask, b: LocalTask): number {
  return a.done - b.done || PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.subject.localeCompare(b.subject);
}

const visible = (t: LocalTask) => t.deleted !== 1;

export async function loadAgenda(db: ExtensionDatabase, today: string, overdueLimit = OVERDUE_PAGE): Promise<Agenda> {
  const tomorrow = addDays(today, 1);
  return db.transaction('r', db.tasks, async () => {
    // Plain key ranges, no Dexie filter: IndexedDB then reads each range in one request
    // (getAll) instead of a cursor step per row. Deleted tasks (rare: kept until their
    // deletion reaches Salesforce) are dropped here, with a margin read for them.
    const [overdue, days] = await Promise.all([
      // Open tasks with a date before today, most recently due first. '' (no date) sorts before any date and is excluded.
      db.tasks
        .where('[done+dueDate]')
        .between([0, '0000-01-01'], [0, today], true, false)
        .reverse()
        .limit(overdueLimit + 1 + DELETED_MARGIN)
        .toArray(),
      db.tasks.where('dueDate').between(today, tomorrow, true, true).limit(DAY_LIMIT).toArray(),
    ]);
    const open = overdue.filter(visible);
    const due = days.filter(visible);
    return {
      today,
      overdue: open.slice(0, overdueLimit),
      moreOverdue: open.length > overdueLimit,
      dueToday: due.filter((t) => t.dueDate === today).sort(byAgendaOrder),
      dueTomorrow: due.filter((t) => t.dueDate === tomorrow).sort(byAgendaOrder),
    };
  });
}
