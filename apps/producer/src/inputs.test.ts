import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputListError } from './errors/input-list.error.ts';
import { episodeIdFromPath, expandInputs } from './inputs.ts';

// Contents do not matter to expandInputs: it only looks at names and file types.
let dir: string;
const touch = async (...parts: string[]) => {
  const p = path.join(dir, ...parts);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, 'placeholder');
  return p;
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-inputs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('expandInputs: one audio file', () => {
  it('names the episode after the file and picks up a sibling .vtt', async () => {
    const audio = await touch('My Show #12.mp3');
    const vtt = await touch('My Show #12.vtt');
    await touch('other.vtt');
    const reqs = await expandInputs([audio]);
    expect(reqs).toEqual([{ id: 'My-Show-12', audioUri: audio, transcriptUri: vtt, priority: false, force: false }]);
  });

  it('leaves transcriptUri out when there is no sibling, and resolves a relative path', async () => {
    await touch('solo.ogg');
    const rel = path.relative(process.cwd(), path.join(dir, 'solo.ogg'));
    const reqs = await expandInputs([rel]);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.audioUri).toBe(path.join(dir, 'solo.ogg'));
    expect(path.isAbsolute(reqs[0]!.audioUri)).toBe(true);
    expect(reqs[0]).not.toHaveProperty('transcriptUri');
  });

  it('prefers .vtt over .srt when both sit beside the audio', async () => {
    const audio = await touch('both.mp3');
    const vtt = await touch('both.vtt');
    await touch('both.srt');
    expect((await expandInputs([audio]))[0]!.transcriptUri).toBe(vtt);
  });

  it('takes --id, --transcript, --priority and --force from the options', async () => {
    const audio = await touch('ep.mp3');
    await touch('ep.vtt');
    const explicit = await touch('elsewhere', 'subs.srt');
    const reqs = await expandInputs([audio], { id: 'custom-id', transcript: explicit, priority: true, force: true });
    expect(reqs).toEqual([{ id: 'custom-id', audioUri: audio, transcriptUri: explicit, priority: true, force: true }]);
  });

  it('rejects an --id outside the id alphabet, naming the input', async () => {
    const audio = await touch('ep.mp3');
    await expect(expandInputs([audio], { id: 'no spaces/allowed' })).rejects.toThrow(new RegExp(`${audio.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: id: `));
  });

  it('refuses --transcript with more than one audio file', async () => {
    const a = await touch('a.mp3');
    const b = await touch('b.mp3');
    const t = await touch('a.vtt');
    await expect(expandInputs([a, b], { transcript: t })).rejects.toThrow('--transcript applies to a single audio file');
  });
});

describe('expandInputs: a directory', () => {
  it('takes only audio files, sorted by name, with .vtt/.srt siblings as transcripts', async () => {
    const c = await touch('eps', 'c-third.wav');
    const a = await touch('eps', 'a-first.mp3');
    const aSrt = await touch('eps', 'a-first.srt');
    const b = await touch('eps', 'B-second.M4A');
    const bVtt = await touch('eps', 'B-second.vtt');
    await touch('eps', 'notes.txt');
    await touch('eps', 'cover.jpg');
    await touch('eps', 'orphan.vtt');
    const reqs = await expandInputs([path.join(dir, 'eps')]);
    expect(reqs.map((r) => r.id)).toEqual(['B-second', 'a-first', 'c-third']);
    expect(reqs).toEqual([
      { id: 'B-second', audioUri: b, transcriptUri: bVtt, priority: false, force: false },
      { id: 'a-first', audioUri: a, transcriptUri: aSrt, priority: false, force: false },
      { id: 'c-third', audioUri: c, priority: false, force: false },
    ]);
  });

  it('applies --priority and --force to every file in it', async () => {
    await touch('d', 'one.mp3');
    await touch('d', 'two.flac');
    const reqs = await expandInputs([path.join(dir, 'd')], { priority: true, force: true });
    expect(reqs.map((r) => [r.id, r.priority, r.force])).toEqual([
      ['one', true, true],
      ['two', true, true],
    ]);
  });

  it('refuses a directory with no audio files, listing the accepted extensions', async () => {
    await touch('empty', 'readme.md');
    await expect(expandInputs([path.join(dir, 'empty')])).rejects.toThrow(/directory holds no audio files \(\.mp3 /);
  });
});

describe('expandInputs: a .jsonl manifest', () => {
  it('resolves relative paths against the manifest directory and keeps per-line priority', async () => {
    const m = path.join(dir, 'lists', 'manifest.jsonl');
    await mkdir(path.dirname(m), { recursive: true });
    await writeFile(
      m,
      [
        JSON.stringify({ id: 'rel', audioUri: 'audio/rel.mp3', transcriptUri: '../subs/rel.vtt', priority: true }),
        '',
        JSON.stringify({ id: 'abs', audioUri: '/srv/abs.mp3' }),
        '   ',
        JSON.stringify({ id: 'remote', audioUri: 'gs://bucket/remote.mp3', transcriptUri: 'file:///srv/remote.vtt', priority: false }),
        '',
      ].join('\n'),
    );
    // From another working directory, so a shell-relative resolution would be caught.
    const reqs = await expandInputs([m]);
    expect(reqs).toEqual([
      { id: 'rel', audioUri: path.join(dir, 'lists', 'audio', 'rel.mp3'), transcriptUri: path.join(dir, 'subs', 'rel.vtt'), priority: true, force: false },
      { id: 'abs', audioUri: '/srv/abs.mp3', priority: false, force: false },
      { id: 'remote', audioUri: 'gs://bucket/remote.mp3', transcriptUri: 'file:///srv/remote.vtt', priority: false, force: false },
    ]);
  });

  it('lets a line override the command-line priority, and the command line fill in the rest', async () => {
    const m = path.join(dir, 'm.jsonl');
    await writeFile(
      m,
      `${JSON.stringify({ id: 'explicit-no', audioUri: 'a.mp3', priority: false })}\n${JSON.stringify({ id: 'inherits', audioUri: 'b.mp3' })}\n`,
    );
    const reqs = await expandInputs([m], { priority: true, force: true });
    expect(reqs.map((r) => [r.id, r.priority, r.force])).toEqual([
      ['explicit-no', false, true],
      ['inherits', true, true],
    ]);
  });

  it('reports a line that is not JSON as FILE:LINE, before returning anything', async () => {
    const m = path.join(dir, 'broken.jsonl');
    await writeFile(m, `${JSON.stringify({ id: 'one', audioUri: 'a.mp3' })}\n\n{"id": "two", audioUri\n`);
    const err = await expandInputs([m]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputListError);
    expect((err as Error).message).toBe(`${m}:3: not valid JSON`);
  });

  it('reports a line that breaks the request schema as FILE:LINE with the bad field', async () => {
    const m = path.join(dir, 'invalid.jsonl');
    await writeFile(m, `${JSON.stringify({ id: 'fine', audioUri: 'a.mp3' })}\n${JSON.stringify({ id: 'bad id!', audioUri: 'b.mp3', priority: 'yes' })}\n`);
    const err = (await expandInputs([m]).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputListError);
    expect(err.message).toMatch(new RegExp(`^${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
    expect(err.message).toContain('id: ');
    expect(err.message).toContain('priority: ');
  });

  it('reports an unknown key on a manifest line', async () => {
    const m = path.join(dir, 'extra.jsonl');
    await writeFile(m, `${JSON.stringify({ id: 'x', audioUri: 'a.mp3', colour: 'blue' })}\n`);
    await expect(expandInputs([m])).rejects.toThrow(/extra\.jsonl:1: .*colour/);
  });
});

describe('expandInputs: remote URIs', () => {
  it('takes https:// and gs:// URIs as they are, named after their last path segment', async () => {
    const reqs = await expandInputs(['https://cdn.example.com/shows/ep%2042.mp3?sig=1', 'gs://incoming/shows/weekly/ep-7.m4a'], { priority: true });
    expect(reqs).toEqual([
      { id: 'ep-42', audioUri: 'https://cdn.example.com/shows/ep%2042.mp3?sig=1', priority: true, force: false },
      { id: 'ep-7', audioUri: 'gs://incoming/shows/weekly/ep-7.m4a', priority: true, force: false },
    ]);
  });

  it('takes --id and a --transcript URI for a single remote episode', async () => {
    const [r] = await expandInputs(['https://cdn.example.com/a.mp3'], { id: 'show-1', transcript: 'gs://incoming/a.vtt' });
    expect(r).toEqual({ id: 'show-1', audioUri: 'https://cdn.example.com/a.mp3', transcriptUri: 'gs://incoming/a.vtt', priority: false, force: false });
  });
});

describe('expandInputs: errors', () => {
  it('names a path that does not exist', async () => {
    const missing = path.join(dir, 'nope.mp3');
    const err = await expandInputs([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputListError);
    expect((err as Error).message).toBe(`${missing}: no such file or directory`);
  });

  it('gives two files of one name distinct ids, stable for each path', async () => {
    const a = await touch('x', 'same.mp3');
    const b = await touch('y', 'same.mp3');
    const [ra, rb] = await expandInputs([a, b]);
    expect(ra!.id).toMatch(/^same-[0-9a-f]{8}$/);
    expect(rb!.id).toMatch(/^same-[0-9a-f]{8}$/);
    expect(ra!.id).not.toBe(rb!.id);
    expect([ra!.audioUri, rb!.audioUri]).toEqual([a, b]);
    expect((await expandInputs([b, a])).map((r) => r.id)).toEqual([rb!.id, ra!.id]);
    // Alone, a file keeps its plain name.
    expect((await expandInputs([a]))[0]!.id).toBe('same');
  });

  it('refuses an explicit id that clashes with another input', async () => {
    const a = await touch('x', 'same.mp3');
    const b = await touch('y', 'other.ogg');
    await expect(expandInputs([a, b], { id: 'same' })).rejects.toThrow();
  });

  it('refuses a duplicate id between a directory and a manifest', async () => {
    await touch('d', 'ep1.mp3');
    const m = path.join(dir, 'm.jsonl');
    await writeFile(m, `${JSON.stringify({ id: 'ep1', audioUri: 'elsewhere.mp3' })}\n`);
    await expect(expandInputs([path.join(dir, 'd'), m])).rejects.toThrow(/"ep1" appears twice/);
  });

  it('combines several inputs in argument order', async () => {
    const f = await touch('single.mp3');
    await touch('d', 'b.mp3');
    await touch('d', 'a.mp3');
    const reqs = await expandInputs([f, path.join(dir, 'd')]);
    expect(reqs.map((r) => r.id)).toEqual(['single', 'a', 'b']);
  });
});

describe('episodeIdFromPath', () => {
  it.each([
    ['/x/plain.mp3', 'plain'],
    ['/x/With Spaces & Symbols!.mp3', 'With-Spaces-Symbols-'],
    ['/x/..hidden.mp3', 'hidden'],
    ['/x/___.mp3', 'episode'],
    [`/x/${'a'.repeat(200)}.mp3`, 'a'.repeat(128)],
    ['/x/ep.v2.final.mp3', 'ep.v2.final'],
  ])('%s → %s', (file, id) => {
    expect(episodeIdFromPath(file)).toBe(id);
  });
});
