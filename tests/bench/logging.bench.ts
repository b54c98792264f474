/**
 * Logging sent email through the Salesforce API, against the org emulator, with the extension's
 * own outbox runner, Salesforce client and queue (IndexedDB is fake-indexeddb, extension storage
 * WXT's fake browser). API calls are counted by the emulator, as Salesforce counts them.
 *
 * - steady: 200 emails a rep sends over a working session, 60% only to recipients the
 *   extension has seen before, 1-3 To and 0-2 Cc each. Sends arrive with gaps drawn from an
 *   exponential distribution, mean 60 s (a prospecting session), on a clock shared with the
 *   emulator; the runner wakes as in the worker (5 s after a send, and when an email it
 *   matched has waited its 2 minutes for company). `one_at_a_time` is the same mail with each
 *   email logged before the next is sent: every email alone, for comparison.
 * - backlog200: 200 emails queued while offline, all to recipients never seen, flushed at once.
 * - faults: 1,000 emails while 20% of them arrive with a fault armed for the next call (401,
 *   503, connection dropped after Salesforce committed, 300 ms latency), with the worker killed
 *   mid-write halfway (a new runner over the same database). Lost = emails without their
 *   Task; duplicates = Tasks beyond one per email.
 * - seconds_to_salesforce: in the steady run, from the end of the undo window (when the capture
 *   queues the email) to its Task existing in the org; median and 90th percentile, and the median
 *   of the emails with someone never mailed before (looked up first, then written).
 * - ms_per_email: the runner's own time per logged email in the steady run.
 */

const EMAILS = 200;
const SEEN_SHARE = 0.6;
const MEAN_GAP_MS = 60_000;
const FAULT_EMAILS = 1_000;
const FAULT_SHARE = 0.2;
const ACCOUNTS = 60;
const CONTACTS_PER_ACCOUNT = 12;
const MAILBOX = 'rep@demo-org.example';

/** A small deterministic generator, so runs compare. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)] ?? Number.NaN;
const median = (values: number[]) => quantile(values, 0.5);

const contactEmail = (account: number, n: number) => `person${n}@account${account}.example`;

export async function run(): Promise<Record<string, number | string>> {
  const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
  Object.assign(globalThis, { indexedDB: new IDBFactory(), IDBKeyRange });
  const { fakeBrowser } = await import('wxt/testing/fake-browser');
  // The extension's modules read `browser` when they load: the fake one, before they do.
  (globalThis as { browser?: unknown }).browser = fakeBrowser;
  const [
    { startEmulator },
    { signIn, storedSessionOf },
    { openDatabase },
    { SalesforceClient },
    { saveSession },
    { createOutboxRunner, PRODUCT_TIMING },
    queue,
    settingsModule,
    inbound,
  ] = await Promise.all([
    import('../emulator'),
    import('../emulator/client'),
    import('../../lib/db'),
    import('../../lib/salesforce/client'),
    import('../../lib/salesforce/tokens'),
    import('../../lib/outbox/runner'),
    import('../../lib/outbox/queue'),
    import('../../lib/settings'),
    import('../../lib/logging/inbound'),
  ]);
  type Db = ReturnType<typeof openDatabase>;
  type Runner = ReturnType<typeof createOutboxRunner>;

  const seed = {
    User: [{ FirstName: 'Rep', LastName: 'Bench', Username: 'rep@bench.example', Alias: 'rbench', Email: MAILBOX }],
    Organization: [{ Name: 'Benchmark Org' }],
    Account: Array.from({ length: ACCOUNTS }, (_, a) => ({
      '@ref': `a${a}`,
      Name: `Account ${a}`,
      Website: `https://account${a}.example`,
    })),
    Contact: Array.from({ length: ACCOUNTS * CONTACTS_PER_ACCOUNT }, (_, i) => {
      const a = Math.floor(i / CONTACTS_PER_ACCOUNT);
      return { FirstName: 'Person', LastName: `${i}`, AccountId: `@a${a}`, Email: contactEmail(a, i % CONTACTS_PER_ACCOUNT) };
    }),
  };
  const sf = await startEmulator({ port: 0, seed });
  let offset = 0;
  const now = () => Date.now() + offset;
  const pass = (ms: number) => {
    if (ms <= 0) return;
    sf.control.advanceClock(ms);
    offset += ms;
  };
  try {
    // Signed in as the extension signs in; the session stored where the worker keeps it.
    await saveSession(storedSessionOf(sf.url, await signIn(sf.url)));
    const client = new SalesforceClient({ hosts: { allowLoopback: true }, now });
    const settings = { ...settingsModule.defaultSettings(), internalDomains: ['demo-org.example'] };

    let dbCount = 0;
    const freshDb = () => openDatabase(`bench-logging-${Date.now()}-${++dbCount}`);
    let sent = 0;
    async function send(db: Db, to: string[], cc: string[], subject: string) {
      sent++;
      await queue.recordSentEmail(
        db,
        {
          provider: 'gmail',
          mailbox: MAILBOX,
          send: {
            messageId: `msg-a:r${sent}`,
            scheduled: false,
            from: { email: MAILBOX, name: 'Rep Bench' },
            to: to.map((email) => ({ email })),
            cc: cc.map((email) => ({ email })),
            bcc: [],
            subject,
            bodyHtml: `<div>Hello,</div><p>${subject}: the proposal we discussed, with the figures attached.</p><p>Best regards,<br>Rep</p>`,
          },
          rfcMessageId: `<bench-${sent}@mail.gmail.com>`,
          sentAt: now(),
          loggingOn: true,
        },
        settings,
        now(),
      );
    }

    let runnerMs = 0;
    const runnerFor = (db: Db, random: () => number, timing = PRODUCT_TIMING) =>
      createOutboxRunner({ db, client, settings: async () => settings, now, random, timeZone: () => 'Asia/Tokyo', timing });
    async function runTimed(runner: Runner) {
      const start = performance.now();
      await runner.run();
      runnerMs += performance.now() - start;
    }
    /** Moves the clock to `until`, running the runner whenever it asked to be woken before then. */
    async function waitUntil(runner: Runner, until: number) {
      for (let guard = 0; guard < 1_000; guard++) {
        const wake = runner.nextWakeAt();
        if (wake === null || wake > until) break;
        pass(wake - now());
        await runTimed(runner);
      }
      pass(until - now());
    }
    async function drain(runner: Runner) {
      for (let guard = 0; guard < 1_000; guard++) {
        await runTimed(runner);
        const wake = runner.nextWakeAt();
        if (wake === null) return;
        pass(wake - now());
      }
      throw new Error('the outbox did not drain');
    }

    /** One email's recipients: from one account's people; `seen` decides whether all were mailed before. */
    function mail(random: () => number, seenSet: Set<string>, seen: boolean, oneAccount: boolean) {
      const pick = (): string => {
        const a = Math.floor(random() * ACCOUNTS);
        return contactEmail(a, Math.floor(random() * CONTACTS_PER_ACCOUNT));
      };
      const seenList = [...seenSet];
      const toCount = 1 + Math.floor(random() * 3);
      const ccCount = Math.floor(random() * 3);
      const all: string[] = [];
      const account = Math.floor(random() * ACCOUNTS);
      const fromAccount = () => contactEmail(account, Math.floor(random() * CONTACTS_PER_ACCOUNT));
      for (let i = 0; i < toCount + ccCount; i++) {
        let address: string;
        if (oneAccount) address = fromAccount();
        else if (seen && seenList.length > 0) address = seenList[Math.floor(random() * seenList.length)]!;
        else if (i === 0) {
          // At least one never mailed before.
          let fresh = pick();
          for (let t = 0; t < 50 && seenSet.has(fresh); t++) fresh = pick();
          address = fresh;
        } else address = seenList.length > 0 && random() < 0.5 ? seenList[Math.floor(random() * seenList.length)]! : pick();
        if (!all.includes(address)) all.push(address);
      }
      for (const a of all) seenSet.add(a);
      return { to: all.slice(0, Math.min(toCount, all.length)), cc: all.slice(Math.min(toCount, all.length)) };
    }

    const tasksBySubject = () => {
      const counts = new Map<string, number>();
      for (const t of sf.org.records('Task')) counts.set(String(t.Subject), (counts.get(String(t.Subject)) ?? 0) + 1);
      return counts;
    };

    // ---------------------------------------------------------------------------------------
    // Steady: a working session.
    async function steady(oneAtATime: boolean) {
      const random = prng(oneAtATime ? 11 : 7);
      const db = freshDb();
      const runner = runnerFor(db, random);
      const seenSet = new Set<string>();
      // The extension has been in use: a few emails before the measured ones fill the cache.
      for (let i = 0; i < 20; i++) {
        const { to, cc } = mail(random, seenSet, false, false);
        await send(db, to, cc, `warm ${oneAtATime} ${i}`);
      }
      await drain(runner);
      sf.control.resetCalls();
      runnerMs = 0;
      const mailSeen = Array.from({ length: EMAILS }, (_, i) => i < EMAILS * SEEN_SHARE);
      // Shuffled: seen and unseen mail alternate as they would.
      for (let i = mailSeen.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [mailSeen[i], mailSeen[j]] = [mailSeen[j]!, mailSeen[i]!];
      }
      const queuedAt = new Map<string, number>();
      const toNewPeople = new Set<string>();
      for (let i = 0; i < EMAILS; i++) {
        const { to, cc } = mail(random, seenSet, mailSeen[i]!, false);
        const subject = `steady ${oneAtATime} ${i}`;
        await send(db, to, cc, subject);
        queuedAt.set(`Email: ${subject}`, now());
        if (!mailSeen[i]) toNewPeople.add(`Email: ${subject}`);
        runner.queued();
        if (oneAtATime) await drain(runner);
        else await waitUntil(runner, now() + -Math.log(1 - random()) * MEAN_GAP_MS);
      }
      await drain(runner);
      const calls = sf.control.calls().total;
      const logged = await db.activities.where('state').equals('logged').count();
      if (logged < EMAILS + 20) throw new Error(`steady: only ${logged} of ${EMAILS + 20} emails logged`);
      db.close();
      // From the end of the undo window (when the capture queues the email) to its Task existing
      // in the org (its CreatedDate, on the emulator's clock, which the bench moves with its own).
      const createdAt = new Map<string, number>();
      for (const task of sf.org.records('Task')) {
        const subject = String(task.Subject);
        const at = Date.parse(String(task.CreatedDate));
        if (queuedAt.has(subject)) createdAt.set(subject, Math.min(at, createdAt.get(subject) ?? at));
      }
      if (createdAt.size !== EMAILS) throw new Error(`steady: ${createdAt.size} of ${EMAILS} Tasks found`);
      const seconds = [...createdAt].map(([subject, at]) => ({ s: (at - queuedAt.get(subject)!) / 1000, fresh: toNewPeople.has(subject) }));
      return {
        calls,
        ms: runnerMs,
        secondsToSalesforce: seconds.map((x) => x.s),
        secondsToSalesforceNew: seconds.filter((x) => x.fresh).map((x) => x.s),
      };
    }
    const steadyRun = await steady(false);
    const alone = await steady(true);

    // ---------------------------------------------------------------------------------------
    // Replies: 200 logged emails, then a reply to each from its first recipient, arriving as the
    // rep opens the threads over a session (the same gaps as sends), each thread loaded with its
    // sent message and the reply, as Gmail loads it.
    async function replies() {
      const random = prng(5);
      const db = freshDb();
      const runner = runnerFor(db, random);
      const seenSet = new Set<string>();
      const threads: Array<{ messageId: string; threadId: string; to: string; subject: string; sentAt: number }> = [];
      for (let i = 0; i < EMAILS; i++) {
        const { to, cc } = mail(random, seenSet, false, true);
        const subject = `reply bench ${i}`;
        await send(db, to, cc, subject);
        const threadId = `thread-a:r${sent}`;
        await inbound.rememberThread(db, { provider: 'gmail', mailbox: MAILBOX, since: now(), threadId });
        threads.push({ messageId: `msg-a:r${sent}`, threadId, to: to[0]!, subject, sentAt: now() });
      }
      runner.queued();
      await drain(runner);
      pass(3_600_000);
      sf.control.resetCalls();
      for (const [i, t] of threads.entries()) {
        const sentCopy = {
          messageId: t.messageId,
          threadId: t.threadId,
          from: { email: MAILBOX },
          to: [{ email: t.to }],
          cc: [],
          subject: t.subject,
          bodyHtml: '',
          sentAt: t.sentAt,
        };
        const reply = {
          messageId: `msg-f:${i}`,
          threadId: t.threadId,
          rfcMessageId: `<reply-${i}@bench.example>`,
          from: { email: t.to },
          to: [{ email: MAILBOX }],
          cc: [],
          subject: `Re: ${t.subject}`,
          bodyHtml: '<div>Thanks, that works for us.</div>',
          sentAt: now(),
        };
        await inbound.recordReceivedMail(db, { provider: 'gmail', mailbox: MAILBOX, messages: [sentCopy, reply] }, settings, now());
        runner.queued();
        await waitUntil(runner, now() + -Math.log(1 - random()) * MEAN_GAP_MS);
      }
      await drain(runner);
      const calls = sf.control.calls().total;
      const logged = await db.activities.filter((a) => a.direction === 'inbound' && a.state === 'logged').count();
      if (logged !== EMAILS) throw new Error(`replies: only ${logged} of ${EMAILS} replies logged`);
      db.close();
      return calls / EMAILS;
    }
    const perReply = await replies();

    // ---------------------------------------------------------------------------------------
    // Backlog: 200 emails queued offline, to people never mailed, flushed at once.
    const backlogDb = freshDb();
    const backlogRandom = prng(3);
    const backlogSeen = new Set<string>();
    for (let i = 0; i < EMAILS; i++) {
      const { to, cc } = mail(backlogRandom, backlogSeen, false, false);
      await send(backlogDb, to, cc, `backlog ${i}`);
    }
    sf.control.resetCalls();
    await drain(runnerFor(backlogDb, backlogRandom));
    const backlogCalls = sf.control.calls().total;
    const backlogLogged = await backlogDb.activities.where('state').equals('logged').count();
    if (backlogLogged !== EMAILS) throw new Error(`backlog: ${backlogLogged} of ${EMAILS} logged`);
    backlogDb.close();

    // ---------------------------------------------------------------------------------------
    // Faults: 1,000 emails, 20% with a fault armed, the worker killed halfway.
    const faultDb = freshDb();
    const faultRandom = prng(5);
    let runner = runnerFor(faultDb, faultRandom, { ...PRODUCT_TIMING, settleMs: 2_000, rideAlongMs: 20_000, verifyDelayMs: 30_000 });
    const faultSeen = new Set<string>();
    const kinds = ['401', '503', 'drop', 'latency'] as const;
    const injected: Record<(typeof kinds)[number], number> = { '401': 0, '503': 0, drop: 0, latency: 0 };
    const subjects: string[] = [];
    for (let i = 0; i < FAULT_EMAILS; i++) {
      if (faultRandom() < FAULT_SHARE) {
        const kind = kinds[Math.floor(faultRandom() * kinds.length)]!;
        injected[kind]++;
        if (kind === '401') sf.control.expireSessions();
        if (kind === '503') sf.control.fault({ method: 'POST', path: '/composite', status: 503 });
        if (kind === 'drop') sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
        if (kind === 'latency') sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 300 });
      }
      const { to, cc } = mail(faultRandom, faultSeen, faultRandom() < SEEN_SHARE, true);
      const subject = `fault ${i}`;
      subjects.push(subject);
      await send(faultDb, to, cc, subject);
      runner.queued();
      if (i === FAULT_EMAILS / 2) {
        // Killed in the middle of a write: the call reaches Salesforce, the worker never sees the answer.
        sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 400 });
        const inFlight = runner.run();
        await new Promise((resolve) => setTimeout(resolve, 150));
        await runner.abandon();
        await inFlight;
        runner = runnerFor(faultDb, faultRandom, { ...PRODUCT_TIMING, settleMs: 2_000, rideAlongMs: 20_000, verifyDelayMs: 30_000 });
        await runner.run();
      }
      await waitUntil(runner, now() + -Math.log(1 - faultRandom()) * 10_000);
    }
    sf.control.clearFaults();
    await runner.resume();
    await drain(runner);
    const counts = tasksBySubject();
    let lost = 0;
    let duplicates = 0;
    for (const subject of subjects) {
      const n = counts.get(`Email: ${subject}`) ?? 0;
      if (n === 0) lost++;
      else duplicates += n - 1;
    }
    faultDb.close();

    return {
      'logging.api_calls_per_email_steady': Number((steadyRun.calls / EMAILS).toFixed(3)),
      'logging.seconds_to_salesforce_median': Number(median(steadyRun.secondsToSalesforce).toFixed(1)),
      'logging.seconds_to_salesforce_p90': Number(quantile(steadyRun.secondsToSalesforce, 0.9).toFixed(1)),
      'logging.seconds_to_salesforce_median_new_recipients': Number(median(steadyRun.secondsToSalesforceNew).toFixed(1)),
      'logging.api_calls_per_email_one_at_a_time': Number((alone.calls / EMAILS).toFixed(3)),
      'logging.api_calls_per_email_backlog200': Number((backlogCalls / EMAILS).toFixed(3)),
      'logging.api_calls_per_reply': Number(perReply.toFixed(3)),
      'logging.lost_under_faults': lost,
      'logging.duplicates_under_faults': duplicates,
      'logging.faults_injected': `${Object.entries(injected)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} restart=1`,
      'logging.ms_per_email': Number((steadyRun.ms / EMAILS).toFixed(2)),
    };
  } finally {
    await sf.stop();
  }
}
