import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultsSink } from '@podpreview/shared';
import { failedRow, succeededRow, T0 } from './results.fixtures.ts';

export interface ResultsSinkFixture {
  sink: ResultsSink;
  dispose(): Promise<void>;
}

/**
 * What every ResultsSink must do, run against each implementation (DuckDB in a temp dir,
 * BigQuery against the stand-in). Each test uses its own episode id, so tests stay
 * independent even if a fixture shares its table.
 */
export function resultsSinkContract(name: string, create: () => Promise<ResultsSinkFixture>): void {
  describe(`ResultsSink contract: ${name}`, () => {
    let fixture: ResultsSinkFixture;
    let sink: ResultsSink;
    let episodeId: string;

    beforeEach(async () => {
      fixture = await create();
      sink = fixture.sink;
      episodeId = `ep-${randomUUID()}`;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('round-trips a succeeded row exactly, JSON fields included', async () => {
      const row = succeededRow({ episodeId });
      await sink.write(row);
      const back = await sink.forRun(row.runId);
      expect(back).toEqual(row);
      expect(typeof back?.finishedAtMs).toBe('number');
    });

    it('keeps everything a failure row says, nulls included', async () => {
      const row = failedRow({ episodeId });
      await sink.write(row);
      const back = await sink.forRun(row.runId);
      expect(back).toEqual(row);
      expect(back?.errorMessage).toBe(row.errorMessage);
      expect(back?.previewStartSec).toBeNull();
      expect(back?.models).toEqual([]);
    });

    it('round-trips a deduplicated row', async () => {
      const row = succeededRow({ episodeId, status: 'deduplicated', clipKey: 'clips/earlier-run.mp3' });
      await sink.write(row);
      expect(await sink.forRun(row.runId)).toEqual(row);
    });

    it('rounds fractional milliseconds instead of failing', async () => {
      const row = succeededRow({ episodeId, latencyMs: 10_790.6 });
      await sink.write(row);
      expect((await sink.forRun(row.runId))?.latencyMs).toBe(10_791);
    });

    it('a second write of a run replaces the first', async () => {
      const first = failedRow({ episodeId, failedStage: 'sink', errorCode: 'internal' });
      // A retried job finishes later than the attempt it replaces.
      const second = succeededRow({ episodeId, runId: first.runId, finishedAtMs: first.finishedAtMs + 5000 });
      await sink.write(first);
      await sink.write(second);
      expect(await sink.forRun(first.runId)).toEqual(second);
      expect(await sink.latestForEpisode(episodeId)).toEqual(second);
    });

    it('forRun and latestForEpisode return undefined when nothing matches', async () => {
      await sink.write(succeededRow({ episodeId }));
      expect(await sink.forRun(`run-${randomUUID()}`)).toBeUndefined();
      expect(await sink.latestForEpisode(`ep-${randomUUID()}`)).toBeUndefined();
    });

    it('latestForEpisode picks the newest finishedAtMs, not the last write, and only that episode', async () => {
      const newer = failedRow({ episodeId, finishedAtMs: T0 + 90_000 });
      const older = succeededRow({ episodeId, finishedAtMs: T0 + 10_000 });
      const otherEpisode = succeededRow({ episodeId: `${episodeId}-other`, finishedAtMs: T0 + 99_000 });
      await sink.write(newer);
      await sink.write(older);
      await sink.write(otherEpisode);
      expect(await sink.latestForEpisode(episodeId)).toEqual(newer);
    });

    it('findSucceeded matches only succeeded rows of the same episode with the same hash', async () => {
      const h1 = '1'.repeat(64);
      const h2 = '2'.repeat(64);
      const ok = succeededRow({ episodeId, contentHash: h1, finishedAtMs: T0 + 1000 });
      await sink.write(ok);
      await sink.write(failedRow({ episodeId, contentHash: h2, finishedAtMs: T0 + 2000 }));
      await sink.write(succeededRow({ episodeId, contentHash: h2, status: 'deduplicated', finishedAtMs: T0 + 3000 }));
      await sink.write(succeededRow({ episodeId: `${episodeId}-other`, contentHash: h2, finishedAtMs: T0 + 4000 }));
      expect(await sink.findSucceeded(episodeId, h1)).toEqual(ok);
      expect(await sink.findSucceeded(episodeId, h2)).toBeUndefined();
      expect(await sink.findSucceeded(`${episodeId}-other`, h1)).toBeUndefined();
    });

    it('findSucceeded returns the newest of several matching runs', async () => {
      const hash = '3'.repeat(64);
      const early = succeededRow({ episodeId, contentHash: hash, finishedAtMs: T0 + 1000 });
      const late = succeededRow({ episodeId, contentHash: hash, finishedAtMs: T0 + 9000, clipKey: 'clips/late.mp3' });
      await sink.write(late);
      await sink.write(early);
      expect(await sink.findSucceeded(episodeId, hash)).toEqual(late);
    });

    it('a run rewritten as failed no longer counts as succeeded', async () => {
      const hash = '4'.repeat(64);
      const ok = succeededRow({ episodeId, contentHash: hash });
      await sink.write(ok);
      await sink.write(failedRow({ episodeId, runId: ok.runId, contentHash: hash, finishedAtMs: ok.finishedAtMs + 1000 }));
      expect(await sink.findSucceeded(episodeId, hash)).toBeUndefined();
    });

    it('keeps each row’s variant; latestForEpisode and findSucceeded read only the variants asked for', async () => {
      const hash = '5'.repeat(64);
      const production = succeededRow({ episodeId, contentHash: hash, finishedAtMs: T0 + 1000 });
      const fallback = succeededRow({ episodeId, contentHash: hash, finishedAtMs: T0 + 2000, variant: 'fallback' });
      const staging = failedRow({ episodeId, finishedAtMs: T0 + 3000, variant: 'staging' });
      for (const r of [production, fallback, staging]) await sink.write(r);
      expect((await sink.forRun(fallback.runId))?.variant).toBe('fallback');
      expect(await sink.latestForEpisode(episodeId)).toEqual(staging);
      expect(await sink.latestForEpisode(episodeId, ['production', 'fallback'])).toEqual(fallback);
      expect(await sink.latestForEpisode(episodeId, ['production'])).toEqual(production);
      expect(await sink.findSucceeded(episodeId, hash, ['production'])).toEqual(production);
      expect(await sink.findSucceeded(episodeId, hash, ['production', 'fallback'])).toEqual(fallback);
      expect(await sink.findSucceeded(episodeId, hash, ['staging'])).toBeUndefined();
    });

    it('finishedSince returns the runs finished since a time, newest first, one row per run, at most limit', async () => {
      const base = 2_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
      const old = succeededRow({ finishedAtMs: base - 1 });
      const a = succeededRow({ finishedAtMs: base });
      const b = failedRow({ finishedAtMs: base + 500 });
      const c = succeededRow({ finishedAtMs: base + 900 });
      for (const r of [old, a, b, c]) await sink.write(r);
      // A run written twice (succeeded, then rewritten as failed) counts once, as its newest row.
      await sink.write({ ...a, status: 'failed', finishedAtMs: base + 100, errorCode: 'x' });
      const rows = await sink.finishedSince(base, 10);
      expect(rows.map((r) => r.runId)).toEqual([c.runId, b.runId, a.runId]);
      expect(rows[2]).toMatchObject({ status: 'failed', finishedAtMs: base + 100 });
      expect((await sink.finishedSince(base, 2)).map((r) => r.runId)).toEqual([c.runId, b.runId]);
      expect(await sink.finishedSince(base + 10_000, 10)).toEqual([]);
    });
  });
}
