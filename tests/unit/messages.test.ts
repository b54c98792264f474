import { describe, expect, it, vi } from 'vitest';
import { createMessageRouter, type Handlers, MessageError, type SenderInfo, sendToWorker } from '@/lib/messages';

const ID = 'hnlekkcnbcebeecddbkacphgkinejdon';
const ORIGIN = `chrome-extension://${ID}/`;
const optionsPage: SenderInfo = { id: ID, url: `${ORIGIN}options.html#sync` };
const gmailTab: SenderInfo = { id: ID, url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 }, frameId: 0 };

// The router is exercised through a few message types; the rest of the protocol has its own tests.
function router(overrides: Partial<Handlers> = {}) {
  const handlers = {
    'content/hello': vi.fn(async () => ({
      emailLogging: 'api' as const,
      bccAddress: '',
      composeDefaultOn: true,
      undoSendSeconds: 10,
      scheduledSends: 'logWhenScheduled' as const,
      internalDomains: [],
      neverLog: [],
      loggedMailboxes: [],
    })),
    'settings/get': vi.fn(),
    'settings/change': vi.fn(),
    'worker/status': vi.fn(() => ({ version: '1.0.0', startedAt: 1 })),
    'compose/preview': vi.fn(() => ({ mode: 'api' as const, willLog: true })),
    'mail/sent': vi.fn(() => ({ state: 'queued' as const })),
    ...overrides,
  } as Handlers;
  return { route: createMessageRouter(handlers, ID, ORIGIN), handlers };
}

describe('the worker message router', () => {
  it('answers a valid request from an allowed sender', async () => {
    const { route } = router();
    expect(await route({ type: 'worker/status' }, optionsPage)).toEqual({ ok: true, value: { version: '1.0.0', startedAt: 1 } });
    expect(await route({ type: 'content/hello', provider: 'gmail' }, gmailTab)).toMatchObject({ ok: true });
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['no type', { provider: 'gmail' }],
    ['array', [1, 2]],
  ])('answers %s with invalidMessage', async (_, raw) => {
    const { route } = router();
    expect(await route(raw, optionsPage)).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
  });

  it('answers an unknown type, including prototype names, with unknownMessage', async () => {
    const { route } = router();
    for (const type of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await route({ type }, optionsPage)).toMatchObject({ ok: false, error: { kind: 'unknownMessage' } });
    }
  });

  it('refuses settings changes from a mail page', async () => {
    const { route, handlers } = router();
    expect(await route({ type: 'settings/change', changes: {} }, gmailTab)).toMatchObject({
      ok: false,
      error: { kind: 'forbiddenSender' },
    });
    expect(handlers['settings/change']).not.toHaveBeenCalled();
  });

  it('refuses another extension, a sub-frame and a page that is not a mail host', async () => {
    const { route } = router();
    const hello = { type: 'content/hello', provider: 'gmail' };
    expect(await route(hello, { ...gmailTab, id: 'someone-else' })).toMatchObject({ error: { kind: 'forbiddenSender' } });
    expect(await route(hello, { ...gmailTab, frameId: 3 })).toMatchObject({ error: { kind: 'forbiddenSender' } });
    expect(await route(hello, { ...gmailTab, url: 'https://mail.google.com.evil.example/' })).toMatchObject({
      error: { kind: 'forbiddenSender' },
    });
    expect(await route(hello, { ...gmailTab, url: 'http://mail.google.com/' })).toMatchObject({ error: { kind: 'forbiddenSender' } });
  });

  it('refuses a content script claiming to be another provider', async () => {
    const { route } = router();
    expect(await route({ type: 'content/hello', provider: 'outlook' }, gmailTab)).toMatchObject({ error: { kind: 'invalidMessage' } });
  });

  it('refuses unexpected fields', async () => {
    const { route } = router();
    expect(await route({ type: 'worker/status', extra: 1 }, optionsPage)).toMatchObject({ error: { kind: 'invalidMessage' } });
    expect(await route({ type: 'settings/change', changes: [] }, optionsPage)).toMatchObject({ error: { kind: 'invalidMessage' } });
  });

  it('turns a crashing handler into an internal error instead of crashing', async () => {
    const { route } = router({
      'worker/status': () => {
        throw new Error('boom');
      },
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route({ type: 'worker/status' }, optionsPage)).toEqual({ ok: false, error: { kind: 'internal', message: 'boom' } });
  });
});

describe('sending to the worker', () => {
  it('unwraps answers and turns refusals into MessageError', async () => {
    const { route } = router();
    const runtime = { sendMessage: (m: unknown) => route(m, gmailTab) };
    await expect(sendToWorker(runtime, 'content/hello', { provider: 'gmail' })).resolves.toMatchObject({ emailLogging: 'api' });
    await expect(sendToWorker(runtime, 'settings/get', {})).rejects.toBeInstanceOf(MessageError);
  });

  it('reports a worker that did not answer', async () => {
    await expect(sendToWorker({ sendMessage: async () => undefined }, 'worker/status', {})).rejects.toThrow(/did not answer/);
  });
});
