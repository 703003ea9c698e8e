import { describe, expect, it } from 'vitest';
import { preferredAnswer } from './variants.ts';

const run = (name: string, enqueuedAtMs: number, state: string) => ({ name, enqueuedAtMs, state });

describe('an episode’s answer between production and its fallback', () => {
  it('is production’s alone when nothing was handed over, and the fallback’s alone when production never ran it', () => {
    const p = run('p', 1000, 'failed');
    const f = run('f', 1000, 'succeeded');
    expect(preferredAnswer(p, undefined)).toBe(p);
    expect(preferredAnswer(undefined, f)).toBe(f);
    expect(preferredAnswer(undefined, undefined)).toBeUndefined();
  });

  it('for one submission: the fallback answers while production has no success, production’s success wins whenever it comes', () => {
    expect(preferredAnswer(run('p', 1000, 'failed'), run('f', 1000, 'succeeded'))?.name).toBe('f');
    expect(preferredAnswer(run('p', 1000, 'queued'), run('f', 1000, 'succeeded'))?.name).toBe('f'); // production past its deadline
    expect(preferredAnswer(run('p', 1000, 'succeeded'), run('f', 1000, 'succeeded'))?.name).toBe('p');
    expect(preferredAnswer(run('p', 1000, 'deduplicated'), run('f', 1000, 'succeeded'))?.name).toBe('p');
    expect(preferredAnswer(run('p', 1000, 'succeeded'), run('f', 1000, 'queued'))?.name).toBe('p');
  });

  it('for one submission neither has answered: production while it runs, the fallback once production has ended', () => {
    expect(preferredAnswer(run('p', 1000, 'queued'), run('f', 1000, 'queued'))?.name).toBe('p');
    expect(preferredAnswer(run('p', 1000, 'failed'), run('f', 1000, 'queued'))?.name).toBe('f');
    expect(preferredAnswer(run('p', 1000, 'failed'), run('f', 1000, 'failed'))?.name).toBe('f');
  });

  it('across submissions the newer one answers, whichever variant ran it', () => {
    expect(preferredAnswer(run('p', 2000, 'queued'), run('f', 1000, 'succeeded'))?.name).toBe('p'); // a retry in production
    expect(preferredAnswer(run('p', 1000, 'succeeded'), run('f', 2000, 'deduplicated'))?.name).toBe('f'); // routed there later
  });
});
