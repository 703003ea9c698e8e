import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@podpreview/shared';
import { sweepScratch } from './housekeeping.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-sweep-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sweepScratch', () => {
  it('removes files and folders older than the limit (a killed worker’s) and keeps fresh ones (a live job’s)', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    await mkdir(path.join(dir, 'sink-old'));
    await writeFile(path.join(dir, 'sink-old', 'preview.mp3'), 'x');
    await utimes(path.join(dir, 'sink-old'), hourAgo, hourAgo);
    await writeFile(path.join(dir, 'source-old.mp3'), 'x');
    await utimes(path.join(dir, 'source-old.mp3'), hourAgo, hourAgo);
    await mkdir(path.join(dir, 'sink-live'));
    await writeFile(path.join(dir, 'source-live.mp3'), 'x');
    const removed = await sweepScratch(dir, 600_000, createLogger('silent'));
    expect(removed).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['sink-live', 'source-live.mp3']);
  });

  it('is a no-op on a directory that does not exist yet', async () => {
    expect(await sweepScratch(path.join(dir, 'never'), 1000, createLogger('silent'))).toBe(0);
  });
});
