import { describe, expect, it } from 'vitest';
import { createRelatedPacing, RELATED_ANSWER_MS } from '../../../lib/logging/related-pacing';
import { PREVIEW_RATE } from '../../../lib/outbox/match-preview';

function pacing() {
  let clock = 1_000_000;
  const asked: string[][] = [];
  let fail = false;
  const ask = async (addresses: readonly string[]) => {
    asked.push([...addresses]);
    return fail ? { ok: false as const } : { ok: true as const, n: asked.length };
  };
  const paced = createRelatedPacing(ask, () => clock);
  return {
    paced,
    asked,
    advance: (ms: number) => {
      clock += ms;
    },
    failNext: (value: boolean) => {
      fail = value;
    },
  };
}

describe('related-to lookups, paced per tab', () => {
  it('answers the same people again from memory within a minute, in any order and case', async () => {
    const { paced, asked, advance } = pacing();
    expect(await paced(['a@x.com', 'B@x.com'], 1)).toEqual({ ok: true, n: 1 });
    advance(RELATED_ANSWER_MS - 1);
    expect(await paced(['b@x.com', 'a@x.com'], 1)).toEqual({ ok: true, n: 1 });
    advance(1);
    expect(await paced(['a@x.com', 'b@x.com'], 1)).toEqual({ ok: true, n: 2 });
    expect(asked).toHaveLength(2);
  });

  it('refuses a tab past its allowance without asking Salesforce, and lets another tab ask', async () => {
    const { paced, asked } = pacing();
    for (let i = 0; i < PREVIEW_RATE.burst; i++) expect(paced([`p${i}@x.com`], 7)).not.toBeNull();
    expect(paced(['late@x.com'], 7)).toBeNull();
    expect(paced(['late@x.com'], 8)).not.toBeNull();
    await Promise.resolve();
    expect(asked).toHaveLength(PREVIEW_RATE.burst + 1);
  });

  it('does not remember a failed answer', async () => {
    const { paced, asked, failNext } = pacing();
    failNext(true);
    expect(await paced(['a@x.com'], 1)).toEqual({ ok: false });
    failNext(false);
    expect(await paced(['a@x.com'], 1)).toEqual({ ok: true, n: 2 });
    expect(asked).toHaveLength(2);
  });
});
