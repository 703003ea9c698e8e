import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeIssues, EnqueueRequest } from '@podpreview/shared';
import { InputListError } from './errors/input-list.error.ts';

export const AUDIO_EXTENSIONS = ['.mp3', '.m4a', '.aac', '.mp4', '.ogg', '.opus', '.oga', '.wav', '.flac', '.webm'];
const TRANSCRIPT_EXTENSIONS = ['.vtt', '.srt'];

export interface InputOptions {
  transcript?: string;
  priority?: boolean;
  force?: boolean;
  id?: string;
}

/** Episode id from a file name: the stem, with anything outside the id alphabet replaced. */
export function episodeIdFromPath(file: string): string {
  const stem = path.basename(file, path.extname(file));
  return (
    stem
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 128) || 'episode'
  );
}

async function siblingTranscript(audio: string): Promise<string | undefined> {
  const stem = audio.slice(0, -path.extname(audio).length);
  for (const ext of TRANSCRIPT_EXTENSIONS) {
    const candidate = stem + ext;
    if (
      await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/**
 * Expands CLI arguments into enqueue requests: an audio file, a directory (every audio file in
 * it, with NAME.vtt/NAME.srt beside NAME.mp3 as its transcript), or a `.jsonl` manifest of
 * `{id, audioUri, transcriptUri?, priority?}` lines. Every request is validated here, so a bad
 * manifest line is reported with its line number before anything is enqueued.
 */
export async function expandInputs(args: string[], o: InputOptions = {}): Promise<EnqueueRequest[]> {
  const out: EnqueueRequest[] = [];
  /** Requests whose id came from a file name (not from --id or a manifest). */
  const named = new Set<EnqueueRequest>();
  const add = (raw: unknown, where: string, fromName = false) => {
    const parsed = EnqueueRequest.safeParse(raw);
    if (!parsed.success) {
      throw new InputListError(
        `${where}: ${describeIssues(parsed.error)
          .map((i) => `${i.field}: ${i.message}`)
          .join('; ')}`,
      );
    }
    out.push(parsed.data);
    if (fromName) named.add(parsed.data);
  };
  for (const arg of args) {
    // A remote episode: fetched by the workers within their input policy (public hosts, allowed buckets).
    if (/^(https?|gs):\/\//i.test(arg)) {
      const name = /^gs:/i.test(arg) ? arg.slice(arg.indexOf('/', 5) + 1) : safeDecode(new URL(arg).pathname);
      add(
        {
          id: o.id ?? episodeIdFromPath(name),
          audioUri: arg,
          ...(o.transcript ? { transcriptUri: /^[a-z]+:\/\//i.test(o.transcript) ? o.transcript : path.resolve(o.transcript) } : {}),
          priority: o.priority ?? false,
          force: o.force ?? false,
        },
        arg,
        !o.id,
      );
      continue;
    }
    const st = await stat(arg).catch(() => undefined);
    if (!st) throw new InputListError(`${arg}: no such file or directory`);
    const abs = path.resolve(arg);
    if (st.isDirectory()) {
      const names = (await readdir(abs, { withFileTypes: true }))
        .filter((e) => e.isFile() && AUDIO_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
        .map((e) => e.name)
        .sort();
      if (names.length === 0) throw new InputListError(`${arg}: directory holds no audio files (${AUDIO_EXTENSIONS.join(' ')})`);
      for (const n of names) {
        const audio = path.join(abs, n);
        const transcript = await siblingTranscript(audio);
        add(
          {
            id: episodeIdFromPath(n),
            audioUri: audio,
            ...(transcript ? { transcriptUri: transcript } : {}),
            priority: o.priority ?? false,
            force: o.force ?? false,
          },
          audio,
          true,
        );
      }
    } else if (abs.endsWith('.jsonl')) {
      const lines = (await readFile(abs, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new InputListError(`${arg}:${i + 1}: not valid JSON`);
        }
        // Relative paths in a manifest are relative to the manifest, not to the shell.
        for (const k of ['audioUri', 'transcriptUri'] as const) {
          const v = obj[k];
          if (typeof v === 'string' && !/^[a-z]+:\/\//i.test(v) && !path.isAbsolute(v)) obj[k] = path.resolve(path.dirname(abs), v);
        }
        add({ force: o.force ?? false, ...obj, priority: (obj.priority as boolean | undefined) ?? o.priority ?? false }, `${arg}:${i + 1}`);
      });
    } else {
      const transcript = o.transcript ? path.resolve(o.transcript) : await siblingTranscript(abs);
      add(
        {
          id: o.id ?? episodeIdFromPath(abs),
          audioUri: abs,
          ...(transcript ? { transcriptUri: transcript } : {}),
          priority: o.priority ?? false,
          force: o.force ?? false,
        },
        arg,
        !o.id,
      );
    }
  }
  if (o.transcript && out.length !== 1) throw new InputListError('--transcript applies to a single audio file');
  return distinctIds(out, named);
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Two files of one name (`a/ep.mp3`, `b/ep.mp3`) are two episodes: ids taken from file names
 * get a short hash of the full path when they collide, so both run. Ids given explicitly (--id,
 * a manifest) must be unique; a clash there is refused before anything is enqueued.
 */
function distinctIds(requests: EnqueueRequest[], named: Set<EnqueueRequest>): EnqueueRequest[] {
  const byId = new Map<string, EnqueueRequest[]>();
  for (const r of requests) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  return requests.map((r) => {
    const group = byId.get(r.id)!;
    if (group.length === 1) return r;
    if (!group.every((g) => named.has(g))) throw new InputListError(`episode id "${r.id}" appears twice in the inputs`);
    const suffix = createHash('sha256').update(r.audioUri).digest('hex').slice(0, 8);
    return { ...r, id: `${r.id.slice(0, 119)}-${suffix}` };
  });
}
