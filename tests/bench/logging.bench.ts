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
 *   503, connection dropped after Salesforce committed, 300 ms latency, and a late commit: 1.5 s,
 *   past the client's 1 s deadline, so the request is aborted and Salesforce commits after the
 *   outbox gave up on it), with the worker killed mid-write halfway (a new runner over the same
 *   database). Along the way: a logged call to one person every 40 emails, all with the same
 *   subject, some behind a gateway's error page; a reconnect to another org (a sandbox copy)
 *   for 100 emails and back; one account's domain put on the never-log list at email 300; and
 *   one email with a 2 MB hostile body. lost = emails and calls without their record in their
 *   own org (apart from those the never-log change excluded); duplicated = records beyond one;
 *   written_to_wrong_org = records in the org they were not captured for;
 *   written_after_exclusion = emails still queued when their recipient was excluded and written
 *   all the same.
 * - hostile_body_cost_ratio: HTML-to-text time of a 2 MB hostile body (unclosed tags) over that
 *   of an ordinary 2 MB body.
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
  const [{ queueCall }, { ownerOf }, { htmlToText }] = await Promise.all([
    import('../../lib/calls/queue'),
    import('../../lib/outbox/plan'),
    import('../../lib/logging/html-text'),
  ]);
  type Db = ReturnType<typeof openDatabase>;
  type Runner = ReturnType<typeof createOutboxRunner>;
  type Client = InstanceType<typeof SalesforceClient>;

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
  // A sandbox copy: the same records, and one more user, so its org id differs while the rep's user id is the same.
  const sandbox = await startEmulator({
    port: 0,
    seed: {
      ...seed,
      User: [
        ...seed.User,
        { FirstName: 'Sandbox', LastName: 'Admin', Username: 'admin@sandbox.example', Alias: 'sbadm', Email: 'admin@sandbox.example' },
      ],
    },
  });
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
    let settings = { ...settingsModule.defaultSettings(), internalDomains: ['demo-org.example'] };

    let dbCount = 0;
    const freshDb = () => openDatabase(`bench-logging-${Date.now()}-${++dbCount}`);
    let sent = 0;
    async function send(db: Db, to: string[], cc: string[], subject: string, options: { bodyHtml?: string; via?: Client } = {}) {
      sent++;
      const session = await (options.via ?? client).currentSession();
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
            bodyHtml:
              options.bodyHtml ??
              `<div>Hello,</div><p>${subject}: the proposal we discussed, with the figures attached.</p><p>Best regards,<br>Rep</p>`,
          },
          rfcMessageId: `<bench-${sent}@mail.gmail.com>`,
          sentAt: now(),
          loggingOn: true,
        },
        settings,
        now(),
        session ? ownerOf(session) : undefined,
      );
      return `gmail:${MAILBOX}:msg-a:r${sent}`;
    }

    let runnerMs = 0;
    const runnerFor = (db: Db, random: () => number, timing = PRODUCT_TIMING, via: Client = client) =>
      createOutboxRunner({ db, client: via, settings: async () => settings, now, random, timeZone: () => 'Asia/Tokyo', timing });
    async function runTimed(runner: Runner) {
      const start = performance.now();
      await runner.run();
      runnerMs += performance.now() - start;
      // A call the client gave up on may still commit: the emulator takes real time while this
      // clock runs fast, so let it land before the clock passes the commit window, as
      // Salesforce's own transaction limit guarantees in real time.
      if ((await runner.backoff())?.kind === 'offline') await new Promise((resolve) => setTimeout(resolve, 800));
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
      for (let i = 0; i < EMAILS; i++) {
        const { to, cc } = mail(random, seenSet, mailSeen[i]!, false);
        await send(db, to, cc, `steady ${oneAtATime} ${i}`);
        runner.queued();
        if (oneAtATime) await drain(runner);
        else await waitUntil(runner, now() + -Math.log(1 - random()) * MEAN_GAP_MS);
      }
      await drain(runner);
      const calls = sf.control.calls().total;
      const logged = await db.activities.where('state').equals('logged').count();
      if (logged < EMAILS + 20) throw new Error(`steady: only ${logged} of ${EMAILS + 20} emails logged`);
      db.close();
      return { calls, ms: runnerMs };
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
    // Faults: 1,000 emails, 20% with a fault armed, the worker killed halfway, calls to one
    // person, a reconnect to another org and back, an exclusion added, a hostile body.
    const productionSession = storedSessionOf(sf.url, await signIn(sf.url));
    const sandboxSession = storedSessionOf(sandbox.url, await signIn(sandbox.url));
    if (sandboxSession.orgId === productionSession.orgId) throw new Error('the sandbox must be an org of its own');
    // A client that gives up after 400 ms: the late commits below (700 ms) arrive after it did.
    const LATE_MS = 700;
    const impatient = new SalesforceClient({ hosts: { allowLoopback: true }, now, callTimeoutMs: 400 });
    const connectTo = async (session: typeof productionSession) => {
      await saveSession(session);
      impatient.adoptSession(session);
    };
    await connectTo(productionSession);
    const faultDb = freshDb();
    const faultRandom = prng(5);
    const faultTiming = { ...PRODUCT_TIMING, settleMs: 2_000, rideAlongMs: 20_000, verifyDelayMs: 30_000 };
    let runner = runnerFor(faultDb, faultRandom, faultTiming, impatient);
    const faultSeen = new Set<string>();
    const kinds = ['401', '503', 'drop', 'latency', 'late'] as const;
    const injected: Record<(typeof kinds)[number] | 'gateway', number> = { '401': 0, '503': 0, drop: 0, latency: 0, late: 0, gateway: 0 };
    const emails: Array<{ key: string; subject: string; org: 'production' | 'sandbox' }> = [];
    const calls: Array<{ key: string }> = [];
    const excludedDomain = 'account7.example';
    let queuedWhenExcluded = new Set<string>();
    const hostileHtml = '<a'.repeat(1_000_000);
    let org: 'production' | 'sandbox' = 'production';
    const callee = sf.org.records('Contact').find((c) => c.Email === contactEmail(0, 0))!;
    for (let i = 0; i < FAULT_EMAILS; i++) {
      if (faultRandom() < FAULT_SHARE && org === 'production') {
        const kind = kinds[Math.floor(faultRandom() * kinds.length)]!;
        injected[kind]++;
        if (kind === '401') sf.control.expireSessions();
        if (kind === '503') sf.control.fault({ method: 'POST', path: '/composite', status: 503 });
        if (kind === 'drop') sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
        if (kind === 'latency') sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 200 });
        if (kind === 'late') {
          sf.control.fault({ method: 'POST', path: '/composite', latencyMs: LATE_MS });
        }
      }
      if (i === 300) {
        // The rep puts one account's domain on the never-log list while email to it waits.
        const waiting = await faultDb.outbox.toArray();
        queuedWhenExcluded = new Set(
          waiting
            .filter((e) => {
              const p = e.payload as { to?: Array<{ email: string }>; cc?: Array<{ email: string }> };
              return [...(p.to ?? []), ...(p.cc ?? [])].some((r) => r.email.endsWith(`@${excludedDomain}`));
            })
            .map((e) => e.key),
        );
        settings = { ...settings, neverLog: [excludedDomain] };
      }
      if (i === 600) {
        await connectTo(sandboxSession);
        org = 'sandbox';
      }
      if (i === 700) {
        await connectTo(productionSession);
        org = 'production';
        await runner.resume();
      }
      if (i % 40 === 20 && org === 'production') {
        // Another call to the same person about the same thing; every other one behind a gateway's error page.
        if ((i / 40) % 2 >= 1) {
          injected.gateway++;
          sf.control.fault({ method: 'POST', path: '/composite', status: 502, errorCode: 'ERROR_HTTP_502', message: 'Bad Gateway' });
        }
        const session = await impatient.currentSession();
        const activity = await queueCall(
          faultDb,
          {
            who: { id: String(callee.Id), type: 'Contact', name: String(callee.Name), email: contactEmail(0, 0) },
            callType: 'Outbound',
            durationSeconds: 60,
            outcome: 'Connected',
            reason: 'Renewal',
            notes: '',
            at: now(),
          },
          now(),
          undefined,
          session ? ownerOf(session) : undefined,
        );
        calls.push({ key: activity.key });
      }
      const { to, cc } = mail(faultRandom, faultSeen, faultRandom() < SEEN_SHARE, true);
      const subject = `fault ${i}`;
      const key = await send(faultDb, to, cc, subject, { via: impatient, ...(i === 450 ? { bodyHtml: hostileHtml } : {}) });
      emails.push({ key, subject, org });
      runner.queued();
      if (i === FAULT_EMAILS / 2) {
        // Killed in the middle of a write: the call reaches Salesforce, the worker never sees the answer.
        sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 400 });
        const inFlight = runner.run();
        await new Promise((resolve) => setTimeout(resolve, 150));
        await runner.abandon();
        await inFlight;
        runner = runnerFor(faultDb, faultRandom, faultTiming, impatient);
        await runner.run();
      }
      await waitUntil(runner, now() + -Math.log(1 - faultRandom()) * 10_000);
    }
    sf.control.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, LATE_MS + 100));
    await runner.resume();
    await drain(runner);
    await connectTo(sandboxSession);
    await runner.resume();
    await drain(runner);
    await connectTo(productionSession);

    const subjectCounts = (emulator: typeof sf) => {
      const counts = new Map<string, number>();
      for (const t of emulator.org.records('Task')) counts.set(String(t.Subject), (counts.get(String(t.Subject)) ?? 0) + 1);
      return counts;
    };
    const inProduction = subjectCounts(sf);
    const inSandbox = subjectCounts(sandbox);
    let lost = 0;
    let duplicated = 0;
    let wrongOrg = 0;
    let writtenAfterExclusion = 0;
    for (const email of emails) {
      const own = (email.org === 'production' ? inProduction : inSandbox).get(`Email: ${email.subject}`) ?? 0;
      const other = (email.org === 'production' ? inSandbox : inProduction).get(`Email: ${email.subject}`) ?? 0;
      wrongOrg += other;
      const activity = await faultDb.activities.get(email.key);
      const excluded = activity?.state === 'skipped' && activity.reason === 'neverLog';
      if (queuedWhenExcluded.has(email.key) && own > 0) writtenAfterExclusion++;
      if (own === 0 && !excluded) lost++;
      if (own > 1) duplicated += own - 1;
    }
    let duplicatedCalls = 0;
    for (const call of calls) {
      const own = sf.org.records('Task').filter((t) => t.CallObject === call.key).length;
      wrongOrg += sandbox.org.records('Task').filter((t) => t.CallObject === call.key).length;
      if (own === 0) lost++;
      if (own > 1) duplicatedCalls += own - 1;
    }
    // Each call's row names its own Task: none took another call for itself.
    const callIds = (await faultDb.activities.bulkGet(calls.map((c) => c.key))).flatMap((a) => a?.loggedIds ?? []);
    duplicatedCalls += callIds.length - new Set(callIds).size;
    duplicated += duplicatedCalls;
    faultDb.close();

    // HTML to text: a 2 MB hostile body against an ordinary one of the same size.
    const ordinaryHtml = '<p>Hello <b>Jane</b>, here is the <a href="https://example.com/q">quote</a> &amp; terms.</p>'
      .repeat(25_000)
      .slice(0, 2_000_000);
    const textMs = (html: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 3; r++) {
        const started = performance.now();
        htmlToText(html);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const fill = (unit: string) => unit.repeat(Math.ceil(2_000_000 / unit.length)).slice(0, 2_000_000);
    const hostileKinds = [
      hostileHtml,
      fill('<b and more '),
      fill('<a x=">" '),
      fill('<img alt="'),
      `${fill('<blockquote>').slice(0, 1_000_000)}${fill('<br>x').slice(0, 1_000_000)}`,
      fill(' <div>'),
      `${fill('</td>')}x`,
    ];
    const ordinaryMs = textMs(ordinaryHtml);
    const hostileRatio = Math.max(...hostileKinds.map((html) => textMs(html) / ordinaryMs));

    return {
      'logging.api_calls_per_email_steady': Number((steadyRun.calls / EMAILS).toFixed(3)),
      'logging.api_calls_per_email_one_at_a_time': Number((alone.calls / EMAILS).toFixed(3)),
      'logging.api_calls_per_email_backlog200': Number((backlogCalls / EMAILS).toFixed(3)),
      'logging.api_calls_per_reply': Number(perReply.toFixed(3)),
      'logging.lost': lost,
      'logging.duplicated': duplicated,
      'logging.duplicated_calls': duplicatedCalls,
      'logging.written_to_wrong_org': wrongOrg,
      'logging.written_after_exclusion': writtenAfterExclusion,
      'logging.faults_injected': `${Object.entries(injected)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} calls=${calls.length} restart=1 reconnect=1 exclusion=1 hostile2MB=1`,
      'logging.hostile_body_cost_ratio': Number(hostileRatio.toFixed(2)),
      'logging.ms_per_email': Number((steadyRun.ms / EMAILS).toFixed(2)),
    };
  } finally {
    await sf.stop();
    await sandbox.stop();
  }
}
