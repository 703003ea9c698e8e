import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@podpreview/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from './doctor.ts';

/** The providers as the command's probe would report them on a machine without CUDA. */
const probes = { executionProviders: async () => ['cpu'] };

const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** A copy of the shipped manifest whose speech-to-text model points at a file that does not exist. */
async function manifestWithoutAsrModel(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as {
    models: { stage: string; file: string }[];
  };
  for (const m of manifest.models) {
    m.file = m.stage === 'transcribe' ? path.join(dir, 'absent', 'en-us.lm.bin') : path.join(MODELS_DIR, m.file);
  }
  const file = path.join(dir, 'manifest.json');
  await writeFile(file, JSON.stringify(manifest));
  return file;
}

describe('doctor', () => {
  let dir: string;
  let manifest: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'doctor-'));
    manifest = await manifestWithoutAsrModel(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const configWith = (env: Record<string, string>) =>
    loadConfig({ PODPREVIEW_MODEL_MANIFEST: manifest, PODPREVIEW_DATA_DIR: path.join(dir, 'data'), PODPREVIEW_INPUT_ROOTS: dir, ...env }, dir);

  it('passes with speech-to-text off and its model not installed, saying it is not needed', async () => {
    const report = await doctor(configWith({ PODPREVIEW_ASR: 'off' }), probes);
    const asr = report.checks.find((c) => c.name.startsWith('model pocketsphinx-en-us'));
    expect(asr).toMatchObject({ ok: true, detail: expect.stringMatching(/^not installed; not needed: speech-to-text is off/) });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('fails when speech-to-text is on and its model is missing, naming the Debian packages to install', async () => {
    const report = await doctor(configWith({ PODPREVIEW_ASR: 'upgrade' }), probes);
    const asr = report.checks.find((c) => c.name.startsWith('model pocketsphinx-en-us'));
    expect(asr).toMatchObject({
      ok: false,
      detail: expect.stringContaining('is missing'),
      fix: 'apt-get install -y --reinstall pocketsphinx pocketsphinx-en-us',
    });
  });

  it('treats a model PODPREVIEW_MODELS_SKIP names as not needed', async () => {
    const report = await doctor(configWith({ PODPREVIEW_ASR: 'upgrade', PODPREVIEW_MODELS_SKIP: 'pocketsphinx-en-us' }), probes);
    expect(report.checks.find((c) => c.name.startsWith('model pocketsphinx-en-us'))).toMatchObject({
      ok: true,
      detail: expect.stringContaining('PODPREVIEW_MODELS_SKIP'),
    });
  });

  it('reports an onnxruntime that cannot be loaded as a failed check, with its fix', async () => {
    const broken = { executionProviders: () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file')) };
    const report = await doctor(configWith({}), broken);
    expect(report.executionProviders).toEqual([]);
    expect(report.checks.find((c) => c.name === 'onnxruntime-node')).toMatchObject({ ok: false, detail: expect.stringContaining('libonnxruntime') });
  });
});
