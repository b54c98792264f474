// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BRIDGE_CHANNEL } from '@/lib/mail/bridge';
import { CONTROL_ATTRIBUTE, type ComposeControlActions, type ComposeControlState } from '@/lib/mail/compose-control';
import { type ComposeAdapter, watchComposes } from '@/lib/mail/compose-watcher';
import type { ComposeSettings } from '@/lib/messages';

/** Each control the watcher made: what it was told to show, and the rep's actions (a test cannot make trusted clicks). */
const made = vi.hoisted(() => [] as Array<{ actions: ComposeControlActions; shown: ComposeControlState[] }>);
vi.mock('@/lib/mail/compose-control', async (original) => {
  const real = await original<typeof import('@/lib/mail/compose-control')>();
  return {
    ...real,
    createComposeControl: (doc: Document, actions: ComposeControlActions) => {
      const control = real.createComposeControl(doc, actions);
      const entry = { actions, shown: [] as ComposeControlState[] };
      made.push(entry);
      return {
        host: control.host,
        render: (state: ComposeControlState) => {
          entry.shown.push(state);
          control.render(state);
        },
      };
    },
  };
});

const BCC = 'emailtosalesforce@abc.le.salesforce.com';

/** A webmail of our own making: the watcher must need nothing but this adapter to serve it. */
const adapter: ComposeAdapter = {
  provider: 'gmail',
  sentinel: 'test-compose',
  announcers: (doc) => doc.querySelectorAll('.send'),
  composeRootOf: (element) => element.closest('.compose'),
  controlAnchor: (root) => root.querySelector('.send'),
  messageIdOf: (root) => root.getAttribute('data-message'),
  subjectOf: (root) => root.querySelector<HTMLInputElement>('.subject')?.value ?? null,
  recipientsOf: (root) => [...root.querySelectorAll('.chip')].map((c) => ({ email: c.getAttribute('data-email') as string })),
  chipsOf: (root, address) => [...root.querySelectorAll(`.chip[data-email="${address}"]`)].map((chip) => ({ remove: () => chip.remove() })),
  addBcc(root, address) {
    const row = root.querySelector('.bcc') as HTMLElement;
    if (row.hidden) {
      // Like a webmail that re-renders the row when it opens: filled on the next pass.
      const shown = document.createElement('div');
      shown.className = 'bcc';
      row.replaceWith(shown);
      return false;
    }
    row.append(chipOf(address));
    return { chipText: null };
  },
  isSendButton: (target) => !!target.closest('.send'),
  isInBcc: (root, target) => !!root.querySelector('.bcc')?.contains(target),
  recreatesComposes: false,
};

function chipOf(address: string) {
  const chip = document.createElement('span');
  chip.className = 'chip';
  chip.setAttribute('data-email', address);
  return chip;
}

function compose(
  { id, subject = '', to = [] as string[], send = true } = {} as { id?: string; subject?: string; to?: string[]; send?: boolean },
) {
  const root = document.createElement('div');
  root.className = 'compose';
  if (id) root.setAttribute('data-message', id);
  const subjectInput = document.createElement('input');
  subjectInput.className = 'subject';
  subjectInput.value = subject;
  const toRow = document.createElement('div');
  toRow.className = 'to';
  toRow.append(...to.map(chipOf));
  const bccRow = document.createElement('div');
  bccRow.className = 'bcc';
  bccRow.hidden = true;
  root.append(subjectInput, toRow, bccRow);
  if (send) {
    const button = document.createElement('button');
    button.className = 'send';
    button.textContent = 'Envoyer';
    root.append(button);
  }
  return root;
}

/** What the browser does when it renders a compose's announcing element (the provider's CSS animation). */
function rendered(root: Element) {
  document.body.append(root);
  const announcer = root.querySelector('.send') ?? root;
  announcer.dispatchEvent(Object.assign(new Event('animationstart', { bubbles: true }), { animationName: 'test-compose' }));
}

const settings = (over: Partial<ComposeSettings> = {}): ComposeSettings => ({
  emailLogging: 'api',
  bccAddress: BCC,
  composeDefaultOn: true,
  undoSendSeconds: 0,
  scheduledSends: 'logWhenScheduled',
  internalDomains: ['acme.com'],
  neverLog: [],
  loggedMailboxes: [],
  ...over,
});

const RELATED = [
  { id: '001000000000001AAA', type: 'Account' as const, name: 'Globex' },
  { id: '006000000000001AAA', type: 'Opportunity' as const, name: 'Globex renewal' },
];

const controlsIn = (root: ParentNode) => root.querySelectorAll(`[${CONTROL_ATTRIBUTE}]`);
const bccChips = (root: Element) => root.querySelectorAll(`.bcc .chip[data-email="${BCC}"]`);

describe('the compose watcher, with any webmail adapter', () => {
  let current: ComposeSettings;
  let abort: AbortController;
  let previews: Array<{ recipients: unknown[]; on: boolean }>;
  let relatedAsked: string[][];

  const start = () =>
    watchComposes(document, adapter, {
      settings: () => current,
      mailbox: () => 'rep@acme.com',
      signal: abort.signal,
      alive: () => !abort.signal.aborted,
    });

  beforeEach(() => {
    document.body.replaceChildren();
    current = settings();
    abort = new AbortController();
    previews = [];
    relatedAsked = [];
    made.length = 0;
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: {
      type: string;
      recipients: unknown[];
      on: boolean;
      addresses: string[];
    }) => {
      if (message.type === 'reading/related') {
        relatedAsked.push(message.addresses);
        return { ok: true, value: { options: RELATED, preselected: RELATED[1]!.id } };
      }
      previews.push({ recipients: message.recipients, on: message.on });
      return { ok: true, value: { mode: 'api', willLog: true, matches: { contacts: 1, leads: 0, unresolved: 0 } } };
    }) as never);
  });
  afterEach(() => abort.abort());

  it('places one control next to Send in a compose already open and in one that opens later, and asks for a preview of each', async () => {
    const first = compose({ to: ['buyer@customer.com'] });
    document.body.append(first);
    start();
    await vi.waitFor(() => expect(controlsIn(first)).toHaveLength(1));
    expect(first.querySelector('.send')?.nextElementSibling?.hasAttribute(CONTROL_ATTRIBUTE)).toBe(true);
    const second = compose({ to: ['other@customer.com'] });
    rendered(second);
    await vi.waitFor(() => expect(controlsIn(second)).toHaveLength(1));
    // The page changing inside a compose brings no second control.
    second.querySelector('.to')?.append(chipOf('third@customer.com'));
    await vi.waitFor(() => expect(previews.at(-1)?.recipients).toHaveLength(2));
    expect(controlsIn(document)).toHaveLength(2);
    // One question per compose: the second one's changed before its answer was due.
    expect(previews).toHaveLength(2);
  });

  it('in BCC mode adds the address once (opening the Bcc row first), again after the page reset it, and takes ours away when the email becomes excluded', async () => {
    current = settings({ emailLogging: 'bcc' });
    const root = compose({ to: ['buyer@customer.com'] });
    rendered(root);
    start();
    await vi.waitFor(() => expect(bccChips(root)).toHaveLength(1));
    expect((root.querySelector('.bcc') as HTMLElement).hidden).toBe(false);
    // The webmail rebuilds the Bcc row empty.
    root.querySelector('.bcc')?.replaceChildren();
    await vi.waitFor(() => expect(bccChips(root)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bccChips(root)).toHaveLength(1);
    // Only colleagues left: nothing to log, so our address goes.
    root.querySelector('.to')?.replaceChildren(chipOf('boss@acme.com'));
    await vi.waitFor(() => expect(bccChips(root)).toHaveLength(0));
  });

  it('clicks once for each step that shows a hidden Bcc field, however many passes come before the page answers it', async () => {
    current = settings({ emailLogging: 'bcc' });
    const clicks: string[] = [];
    // Like Outlook's reading-pane reply: the header, then the Bcc button, each answered a moment
    // later by drawing the whole compose anew, one step further.
    const recreating: ComposeAdapter = {
      ...adapter,
      recreatesComposes: true,
      addBcc(root, address) {
        const step = root.getAttribute('data-step') ?? 'collapsed';
        if (step === 'shown') {
          root.querySelector('.bcc')?.append(chipOf(address));
          return { chipText: null };
        }
        clicks.push(step);
        setTimeout(() => {
          const next = compose({ subject: 'RE: Quote', to: ['buyer@customer.com'] });
          next.setAttribute('data-step', step === 'collapsed' ? 'header' : 'shown');
          root.remove();
          rendered(next);
        }, 40);
        return false;
      },
    };
    // The rep typing meanwhile: a pass on every frame.
    const typing = setInterval(() => document.querySelector('.compose .to')?.append(document.createElement('i')), 5);
    rendered(compose({ subject: 'RE: Quote', to: ['buyer@customer.com'] }));
    watchComposes(document, recreating, { settings: () => current, mailbox: () => null, signal: abort.signal, alive: () => true });
    await vi.waitFor(() => expect(document.querySelectorAll(`.bcc .chip[data-email="${BCC}"]`)).toHaveLength(1));
    clearInterval(typing);
    expect(clicks).toEqual(['collapsed', 'header']);
  });

  it('tells whether the rep left logging on for a send: by message id, else by subject from the compose sent or closed', async () => {
    const byId = compose({ id: 'msg-a:r1', subject: 'Quote', to: ['buyer@customer.com'] });
    const bySubject = compose({ subject: 'Private', to: ['friend@customer.com'] });
    rendered(byId);
    rendered(bySubject);
    const watcher = start();
    await vi.waitFor(() => expect(controlsIn(document)).toHaveLength(2));
    current = settings({ composeDefaultOn: false });
    watcher.refresh();
    expect(watcher.choiceFor({ messageId: 'msg-a:r1', subject: 'Quote' })?.on).toBe(true);
    bySubject.remove();
    expect(watcher.choiceFor({ messageId: 'AAMk1', subject: 'private ' })?.on).toBe(true);
    // Each closed compose answers once.
    expect(watcher.choiceFor({ messageId: 'AAMk2', subject: 'Private' })).toBeUndefined();
  });

  it('keeps message ids only for sends and for choices the rep made, not for every compose opened', async () => {
    const dropped = compose({ id: 'msg-a:r8', subject: 'Draft', to: ['buyer@customer.com'] });
    rendered(dropped);
    const watcher = start();
    await vi.waitFor(() => expect(controlsIn(document)).toHaveLength(1));
    dropped.remove();
    // A compose closed with the default choice answers once from the closed list, then is forgotten.
    expect(watcher.choiceFor({ messageId: 'msg-a:r8', subject: 'Draft' })).toMatchObject({ on: true });
    expect(watcher.choiceFor({ messageId: 'msg-a:r8', subject: 'Draft' })).toBeUndefined();
    const sent = compose({ id: 'msg-a:r7', subject: 'Quote', to: ['buyer@customer.com'] });
    rendered(sent);
    await vi.waitFor(() => expect(controlsIn(document)).toHaveLength(1));
    sent.querySelector('.send')?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    sent.remove();
    // A send's choice stays known by its id, however often it is asked.
    expect(watcher.choiceFor({ messageId: 'msg-a:r7', subject: '' })).toMatchObject({ on: true });
    expect(watcher.choiceFor({ messageId: 'msg-a:r7', subject: '' })).toMatchObject({ on: true });
  });

  it("asks what the email may relate to only when the rep opens the choice, once, and carries the rep's pick with the send", async () => {
    const root = compose({ id: 'msg-a:r5', subject: 'Renewal', to: ['buyer@customer.com'] });
    rendered(root);
    const watcher = start();
    await vi.waitFor(() => expect(made).toHaveLength(1));
    const [control] = made;
    await vi.waitFor(() => expect(control!.shown.at(-1)?.preview).not.toBeNull());
    expect(relatedAsked).toEqual([]);
    expect(watcher.choiceFor({ messageId: 'msg-a:r5', subject: 'Renewal' })).toMatchObject({ on: true, whatId: undefined });
    control!.actions.openRelated();
    control!.actions.openRelated();
    await vi.waitFor(() => expect(control!.shown.at(-1)?.related?.options).toEqual(RELATED));
    expect(relatedAsked).toEqual([['buyer@customer.com']]);
    // Left as shown, the rule's choice goes with the send; else the rep's pick.
    expect(watcher.choiceFor({ messageId: 'msg-a:r5', subject: 'Renewal' })).toMatchObject({ on: true, whatId: RELATED[1]!.id });
    control!.actions.pickRelated(RELATED[0]!.id);
    expect(watcher.choiceFor({ messageId: 'msg-a:r5', subject: 'Renewal' })).toMatchObject({ whatId: RELATED[0]!.id });
    // Other people on the email: their records are asked about anew, when the rep opens the choice again.
    root.querySelector('.to')?.append(chipOf('other@customer.com'));
    await vi.waitFor(() => expect(control!.shown.at(-1)?.related).toBeUndefined());
    expect(watcher.choiceFor({ messageId: 'msg-a:r5', subject: 'Renewal' })).toMatchObject({ whatId: undefined });
    control!.actions.openRelated();
    await vi.waitFor(() => expect(relatedAsked).toEqual([['buyer@customer.com'], ['buyer@customer.com', 'other@customer.com']]));
  });

  it('keeps the related-to pick of a compose sent by subject, or closed, for its send', async () => {
    const root = compose({ subject: 'Renewal', to: ['buyer@customer.com'] });
    rendered(root);
    const watcher = start();
    await vi.waitFor(() => expect(made).toHaveLength(1));
    made[0]!.actions.openRelated();
    await vi.waitFor(() => expect(made[0]!.shown.at(-1)?.related).toBeTruthy());
    made[0]!.actions.pickRelated(RELATED[0]!.id);
    root.remove();
    expect(watcher.choiceFor({ messageId: 'AAMk9', subject: 'Renewal' })).toMatchObject({ on: true, whatId: RELATED[0]!.id });
  });

  it('keeps a compose in step even when its control finds no place (no Send button found)', async () => {
    current = settings({ emailLogging: 'bcc' });
    const root = compose({ to: ['buyer@customer.com'], send: false });
    document.body.append(root);
    watchComposes(
      document,
      { ...adapter, announcers: (doc) => doc.querySelectorAll('.compose') },
      {
        settings: () => current,
        mailbox: () => 'rep@acme.com',
        signal: abort.signal,
        alive: () => true,
      },
    );
    await vi.waitFor(() => expect(bccChips(root)).toHaveLength(1));
    expect(controlsIn(document)).toHaveLength(0);
  });

  it('takes away everything it added and stops when its signal aborts (the extension was updated)', async () => {
    const root = compose({ to: ['buyer@customer.com'] });
    rendered(root);
    start();
    await vi.waitFor(() => expect(controlsIn(root)).toHaveLength(1));
    abort.abort();
    expect(controlsIn(document)).toHaveLength(0);
    const later = compose({ to: ['buyer@customer.com'] });
    rendered(later);
    root.querySelector('.to')?.append(chipOf('more@customer.com'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(controlsIn(document)).toHaveLength(0);
  });

  it('stops as soon as it learns the extension is gone, without waiting for the signal', async () => {
    let alive = true;
    const root = compose({ to: ['buyer@customer.com'] });
    rendered(root);
    watchComposes(document, adapter, { settings: () => current, mailbox: () => null, signal: abort.signal, alive: () => alive });
    await vi.waitFor(() => expect(previews).toHaveLength(1));
    alive = false;
    rendered(compose({ to: ['buyer@customer.com'] }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(controlsIn(document)).toHaveLength(1);
    expect(previews).toHaveLength(1);
  });

  it('keeps the page world told, in BCC mode, which messages are on and off, and whether a message it cannot name is on', async () => {
    const posted: unknown[] = [];
    vi.spyOn(window, 'postMessage').mockImplementation((data: unknown) => {
      const message = data as { kind?: string; policy?: unknown };
      if (message.kind === 'bcc-policy') posted.push(message.policy);
    });
    const last = () => posted.at(-1) as Record<string, unknown> | null;
    current = settings({ emailLogging: 'bcc' });
    rendered(compose({ id: 'msg-a:r1', subject: 'Quote', to: ['buyer@customer.com'] }));
    const watcher = start();
    await vi.waitFor(() => expect(last()).toMatchObject({ on: ['msg-a:r1'], off: [], others: true }));
    expect(last()).toEqual({
      address: BCC,
      mailbox: 'rep@acme.com',
      on: ['msg-a:r1'],
      off: [],
      others: true,
      skipScheduled: false,
      internalDomains: ['acme.com'],
      neverLog: [],
      loggedMailboxes: [],
    });
    // Logging off by default now: a new compose with an id is listed off, and one without an id could be any send.
    current = settings({ emailLogging: 'bcc', composeDefaultOn: false, scheduledSends: 'skip' });
    rendered(compose({ id: 'msg-a:r2', to: ['other@customer.com'] }));
    await vi.waitFor(() => expect(last()).toMatchObject({ on: ['msg-a:r1'], off: ['msg-a:r2'], others: false, skipScheduled: true }));
    const unnamed = compose({ subject: 'Private', to: ['friend@customer.com'] });
    rendered(unnamed);
    await vi.waitFor(() => expect(controlsIn(unnamed)).toHaveLength(1));
    // Back to on by default: the switched-off compose without an id still holds every unnamed send back,
    // open and for a while after it went (its request may leave after it closed).
    current = settings({ emailLogging: 'bcc' });
    watcher.refresh();
    expect(last()).toMatchObject({ others: false });
    unnamed.remove();
    rendered(compose({ id: 'msg-a:r4', to: ['buyer@customer.com'] }));
    await vi.waitFor(() => expect(last()).toMatchObject({ on: ['msg-a:r1', 'msg-a:r4'], others: false }));
    // Once its send was seen, it holds nothing back.
    expect(watcher.choiceFor({ messageId: 'AAMk3', subject: 'Private' })?.on).toBe(false);
    watcher.refresh();
    expect(last()).toMatchObject({ others: true });
    // Posted once per change, and again when a page world starts.
    const count = posted.length;
    watcher.refresh();
    expect(posted).toHaveLength(count);
    window.dispatchEvent(
      new MessageEvent('message', { data: { channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'page-ready' }, source: window }),
    );
    expect(posted).toHaveLength(count + 1);
    // Out of BCC mode the page world is told to change nothing.
    current = settings({ emailLogging: 'api' });
    watcher.refresh();
    expect(last()).toBeNull();
  });
});
