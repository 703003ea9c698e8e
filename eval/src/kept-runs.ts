import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BlobStore, SelectionInput } from '@podpreview/shared';
import { LocalBlobStore } from '@podpreview/storage';

/**
 * What selection read for each episode of an eval run (its input and the blobs it names: audio
 * tracks, scored sentences), kept beside the set so `npm run eval:reselect` can re-run the
 * choice of window with other code or weights in seconds, without decoding audio or running
 * a model. A new eval run replaces it.
 */
export interface KeptRuns {
  blobs: BlobStore;
  /** Selection's input per episode id of the set. */
  inputs: Record<string, SelectionInput>;
}

const INDEX = 'inputs.json';

export async function keepSelectionInputs(
  selectionQueue: { getJob(id: string): Promise<{ data: unknown } | undefined> },
  from: BlobStore,
  runs: readonly { episodeId: string; runId: string }[],
  dir: string,
): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const to = new LocalBlobStore(path.join(dir, 'blobs'));
  const inputs: Record<string, SelectionInput> = {};
  for (const r of runs) {
    // Selection's job is named by the run and kept (PODPREVIEW_KEEP_COMPLETED_JOBS) after it completes.
    const job = await selectionQueue.getJob(r.runId);
    const parsed = SelectionInput.safeParse(job?.data);
    if (!parsed.success) continue;
    const input = parsed.data;
    const keys = [...Object.values(input.tracks).map((t) => t.key), ...(input.sentencesKey ? [input.sentencesKey] : [])];
    for (const key of keys) await to.put(key, await from.get(key));
    inputs[r.episodeId] = input;
  }
  await writeFile(path.join(dir, INDEX), `${JSON.stringify(inputs)}\n`);
  return Object.keys(inputs).length;
}

export async function loadKeptRuns(dir: string): Promise<KeptRuns> {
  const raw = await readFile(path.join(dir, INDEX), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`no kept eval run in ${dir} (${e.code}): run \`npm run eval\` with the same --seed first`);
  });
  const inputs = Object.fromEntries(Object.entries(JSON.parse(raw) as Record<string, unknown>).map(([id, v]) => [id, SelectionInput.parse(v)]));
  return { blobs: new LocalBlobStore(path.join(dir, 'blobs')), inputs };
}
