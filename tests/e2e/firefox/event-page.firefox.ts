/**
 * Firefox runs the background as an event page that it stops when idle (30 s by default; the
 * Firefox suite sets 2 s so every test meets a stopped background, as a rep's browser does
 * between sends). The page starts again for the next message and finds what it kept, and a
 * reminder whose alarm starts it is shown once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxExtension, launchFirefoxWithExtension } from '../support/firefox';

/** The extension API inside extension pages. */
declare const browser: typeof import('wxt/browser').browser;

describe("Firefox's event page", () => {
  let firefox: FirefoxExtension;
  const status = () =>
    firefox.inExtension(
      () => browser.runtime.sendMessage({ type: 'worker/status' }) as Promise<{ value: { startedAt: number } }>,
      undefined,
    );

  beforeAll(async () => {
    firefox = await launchFirefoxWithExtension({ locale: 'en' });
  });
  afterAll(() => firefox?.close());

  it('stops when idle, starts again for the next message, and keeps the settings', async () => {
    const changed = await firefox.inExtension(
      () => browser.runtime.sendMessage({ type: 'settings/change', changes: { undoSendSeconds: 25 } }),
      undefined,
    );
    expect(changed).toMatchObject({ ok: true });
    const first = (await status()).value.startedAt;
    // Each look wakes the page; looking less often than the idle timeout lets it stop in between.
    await expect.poll(async () => (await status()).value.startedAt, { interval: 3_000, timeout: 30_000 }).toBeGreaterThan(first);
    const settings = await firefox.inExtension(() => browser.runtime.sendMessage({ type: 'settings/get' }), undefined);
    expect(settings).toMatchObject({ ok: true, value: { values: { undoSendSeconds: 25 } } });
    expect(firefox.errors).toEqual([]);
  });

  it('shows a reminder once when its alarm wakes the stopped page', async () => {
    // Firefox tells extension pages each time a notification is shown (Chrome has no onShown).
    await firefox.inExtension(() => {
      const shown: string[] = [];
      Object.assign(window, { shown });
      const events = browser.notifications as unknown as { onShown: { addListener(listener: (id: string) => void): void } };
      events.onShown.addListener((id) => shown.push(id));
    }, undefined);
    // Due after the 2 s idle timeout: the page has stopped by then, and the alarm starts it.
    const remindAt = Date.now() + 5_000;
    const task = { subject: 'Send the contract', details: '', dueDate: '', remindAt, priority: 'Normal', whoId: '', whoName: '' };
    const created = await firefox.inExtension((t) => browser.runtime.sendMessage({ type: 'tasks/create', task: t }), task);
    const id = `task:${(created as { value: { id: string } }).value.id}`;
    await expect
      .poll(() => firefox.inExtension(() => browser.notifications.getAll().then((all) => Object.keys(all)), undefined), { timeout: 30_000 })
      .toContain(id);
    // onShown can arrive a moment after the notification is listed; a second showing would follow
    // within the same wake-up, so the count is read once the page has had time for one.
    const shown = () => firefox.inExtension(() => (window as unknown as { shown: string[] }).shown, undefined);
    await expect.poll(shown, { timeout: 5_000 }).toContain(id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await shown()).toEqual([id]);
    expect(firefox.errors).toEqual([]);
  });
});
