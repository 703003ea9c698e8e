import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputNotFoundError } from '@podpreview/shared';
import { fetchSource } from './source.fetch.ts';
import { startGcsStandin, type GcsStandin } from './testing/index.ts';

let dir: string;
let tmpDir: string;
let standin: GcsStandin;
let gcs: { apiEndpoint: string; projectId: string };

beforeAll(async () => {
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '/nonexistent/podpreview-test-credentials.json');
  dir = await mkdtemp(path.join(tmpdir(), 'fetch-source-'));
  tmpDir = path.join(dir, 'tmp');
  standin = await startGcsStandin();
  gcs = { apiEndpoint: standin.url, projectId: 'podpreview-test' };
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

async function expectInputNotFound(promise: Promise<unknown>, uri: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputNotFoundError);
  expect(err).toMatchObject({ code: 'input_not_found', retryable: false });
  expect((err as Error).message).toContain(uri);
}

describe('fetchSource', () => {
  it('uses a plain path in place, and cleanup leaves it alone', async () => {
    const file = path.join(dir, 'episode.mp3');
    await writeFile(file, 'ID3');
    const relative = path.relative(process.cwd(), file);
    const fetched = await fetchSource(relative, { tmpDir });
    expect(fetched.localPath).toBe(file);
    await fetched.cleanup();
    expect(await readFile(file, 'utf8')).toBe('ID3');
  });

  it('accepts a file:// URI, percent-encoding included', async () => {
    const file = path.join(dir, 'with space.wav');
    await writeFile(file, 'RIFF');
    const uri = pathToFileURL(file).href;
    expect(uri).toContain('%20');
    const fetched = await fetchSource(uri, { tmpDir });
    expect(fetched.localPath).toBe(file);
  });

  it('downloads a gs:// object to tmpDir, and cleanup deletes the copy', async () => {
    standin.putObject('podcasts', 'shows/ep 1.mp3', Buffer.from('remote bytes'));
    const fetched = await fetchSource('gs://podcasts/shows/ep 1.mp3', { gcs, tmpDir });
    expect(path.dirname(fetched.localPath)).toBe(tmpDir);
    expect(path.extname(fetched.localPath)).toBe('.mp3');
    expect(await readFile(fetched.localPath, 'utf8')).toBe('remote bytes');
    await fetched.cleanup();
    await expect(stat(fetched.localPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a missing local file, file:// URI or directory is InputNotFoundError', async () => {
    const missing = path.join(dir, 'missing.mp3');
    await expectInputNotFound(fetchSource(missing, { tmpDir }), missing);
    await expectInputNotFound(fetchSource(pathToFileURL(missing).href, { tmpDir }), 'missing.mp3');
    await mkdir(path.join(dir, 'a-directory'), { recursive: true });
    await expectInputNotFound(fetchSource(path.join(dir, 'a-directory'), { tmpDir }), 'a-directory');
  });

  it('a missing gs:// object is InputNotFoundError and leaves no temp file', async () => {
    await expectInputNotFound(fetchSource('gs://podcasts/nope.mp3', { gcs, tmpDir }), 'gs://podcasts/nope.mp3');
    await expectInputNotFound(fetchSource('gs://podcasts/', { gcs, tmpDir }), 'gs://podcasts/');
    expect((await readdir(tmpDir)).filter((f) => f.includes('nope') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('other GCS errors stay ordinary (retryable) errors', async () => {
    standin.failBucket('forbidden', 403);
    const err = await fetchSource('gs://forbidden/ep.mp3', { gcs, tmpDir }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(InputNotFoundError);
    expect(err).toMatchObject({ code: 403 });
  });

  it('used only implemented calls, without credentials', () => {
    expect(standin.unhandled).toEqual([]);
    expect(standin.authorized).toEqual([]);
  });
});
