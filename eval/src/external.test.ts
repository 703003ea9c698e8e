import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listExternalEpisodes } from './external.ts';

describe('listExternalEpisodes', () => {
  it('finds each episode’s audio and transcript as run.sh does (VTT before SRT), and skips folders without audio', () => {
    const set = mkdtempSync(path.join(tmpdir(), 'external-set-'));
    const add = (id: string, files: string[]) => {
      mkdirSync(path.join(set, 'episodes', id), { recursive: true });
      for (const f of files) writeFileSync(path.join(set, 'episodes', id, f), '');
    };
    add('ep-b', ['audio.ogg', 'transcript.srt', 'transcript.vtt', 'labels.json']);
    add('ep-a', ['audio.mp3', 'labels.json']);
    add('ep-c', ['labels.json']);
    const root = path.join(set, 'episodes');
    expect(listExternalEpisodes(set)).toEqual([
      { id: 'ep-a', audioPath: path.join(root, 'ep-a', 'audio.mp3') },
      { id: 'ep-b', audioPath: path.join(root, 'ep-b', 'audio.ogg'), transcriptPath: path.join(root, 'ep-b', 'transcript.vtt') },
    ]);
  });
});
