import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputNotAllowedError, InputNotFoundError, type InputPolicy, InputTooLargeError } from '@podpreview/shared';
import { fetchSource } from './source.fetch.ts';
import { startGcsStandin, type GcsStandin } from './testing/index.ts';

let dir: string;
let tmpDir: string;
let policy: InputPolicy;
let standin: GcsStandin;
let gcs: { apiEndpoint: string; projectId: string };

beforeAll(async () => {
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '/nonexistent/podpreview-test-credentials.json');
  dir = await mkdtemp(path.join(tmpdir(), 'fetch-source-'));
  tmpDir = path.join(dir, 'tmp');
  policy = {
    roots: [dir],
    excluded: [path.join(dir, '.data', 'blobs'), path.join(dir, '.data', 'results.duckdb')],
    buckets: ['podcasts', 'forbidden'],
    allowPrivateUrls: false,
    maxBytes: 1000,
    maxDurationSec: 3600,
    fetchTimeoutMs: 5000,
    fetchIdleTimeoutMs: 5000,
    fetchAttempts: 2,
    maxTranscriptBytes: 1000,
    maxTranscriptCues: 100,
  };
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
    const fetched = await fetchSource(relative, { tmpDir, policy });
    expect(fetched.localPath).toBe(file);
    await fetched.cleanup();
    expect(await readFile(file, 'utf8')).toBe('ID3');
  });

  it('accepts a file:// URI, percent-encoding included', async () => {
    const file = path.join(dir, 'with space.wav');
    await writeFile(file, 'RIFF');
    const uri = pathToFileURL(file).href;
    expect(uri).toContain('%20');
    const fetched = await fetchSource(uri, { tmpDir, policy });
    expect(fetched.localPath).toBe(file);
  });

  it('downloads a gs:// object to tmpDir, and cleanup deletes the copy', async () => {
    standin.putObject('podcasts', 'shows/ep 1.mp3', Buffer.from('remote bytes'));
    const fetched = await fetchSource('gs://podcasts/shows/ep 1.mp3', { gcs, tmpDir, policy });
    expect(path.dirname(fetched.localPath)).toBe(tmpDir);
    expect(path.extname(fetched.localPath)).toBe('.mp3');
    expect(await readFile(fetched.localPath, 'utf8')).toBe('remote bytes');
    await fetched.cleanup();
    await expect(stat(fetched.localPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a missing local file, file:// URI or directory is InputNotFoundError', async () => {
    const missing = path.join(dir, 'missing.mp3');
    await expectInputNotFound(fetchSource(missing, { tmpDir, policy }), missing);
    await expectInputNotFound(fetchSource(pathToFileURL(missing).href, { tmpDir, policy }), 'missing.mp3');
    await mkdir(path.join(dir, 'a-directory'), { recursive: true });
    await expectInputNotFound(fetchSource(path.join(dir, 'a-directory'), { tmpDir, policy }), 'a-directory');
  });

  it('a missing gs:// object is InputNotFoundError and leaves no temp file', async () => {
    await expectInputNotFound(fetchSource('gs://podcasts/nope.mp3', { gcs, tmpDir, policy }), 'gs://podcasts/nope.mp3');
    await expectInputNotFound(fetchSource('gs://podcasts/', { gcs, tmpDir, policy }), 'gs://podcasts/');
    expect((await readdir(tmpDir)).filter((f) => f.includes('nope') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('other GCS errors stay ordinary (retryable) errors', async () => {
    standin.failBucket('forbidden', 403);
    const err = await fetchSource('gs://forbidden/ep.mp3', { gcs, tmpDir, policy }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(InputNotFoundError);
    expect(err).toMatchObject({ code: 403 });
  });

  it('refuses local files outside the input roots, whether they exist or not, and links that lead out', async () => {
    await expect(fetchSource('/etc/passwd', { tmpDir, policy })).rejects.toBeInstanceOf(InputNotAllowedError);
    await expect(fetchSource('/etc/does-not-exist', { tmpDir, policy })).rejects.toBeInstanceOf(InputNotAllowedError);
    await expect(fetchSource(path.join(dir, '..', 'elsewhere.mp3'), { tmpDir, policy })).rejects.toBeInstanceOf(InputNotAllowedError);
    await symlink('/etc/passwd', path.join(dir, 'innocent.mp3'));
    await expect(fetchSource(path.join(dir, 'innocent.mp3'), { tmpDir, policy })).rejects.toThrow(/leads outside PODPREVIEW_INPUT_ROOTS/);
    await expect(fetchSource('ftp://example.com/a.mp3', { tmpDir, policy })).rejects.toBeInstanceOf(InputNotAllowedError);
  });

  it('refuses podpreview’s own data even inside a root (the results database, other runs’ sources), and links into it', async () => {
    await mkdir(path.join(dir, '.data', 'blobs'), { recursive: true });
    await writeFile(path.join(dir, '.data', 'results.duckdb'), 'DUCK');
    await writeFile(path.join(dir, '.data', 'blobs', 'source'), 'ID3');
    await expect(fetchSource(path.join(dir, '.data', 'results.duckdb'), { tmpDir, policy })).rejects.toThrow(/podpreview’s own data/);
    await expect(fetchSource(path.join(dir, '.data', 'blobs', 'source'), { tmpDir, policy })).rejects.toBeInstanceOf(InputNotAllowedError);
    await symlink(path.join(dir, '.data', 'blobs', 'source'), path.join(dir, 'looks-fine.mp3'));
    await expect(fetchSource(path.join(dir, 'looks-fine.mp3'), { tmpDir, policy })).rejects.toThrow(/a link into podpreview’s own data/);
  });

  it('refuses gs:// objects of buckets not listed, before asking GCS', async () => {
    standin.putObject('someone-elses', 'ep.mp3', Buffer.from('x'));
    const err = await fetchSource('gs://someone-elses/ep.mp3', { gcs, tmpDir, policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputNotAllowedError);
    expect((err as Error).message).toMatch(/PODPREVIEW_INPUT_BUCKETS/);
  });

  it('refuses inputs over PODPREVIEW_MAX_INPUT_BYTES, local and in GCS, leaving no temp file', async () => {
    await writeFile(path.join(dir, 'big.mp3'), Buffer.alloc(1001));
    await expect(fetchSource(path.join(dir, 'big.mp3'), { tmpDir, policy })).rejects.toBeInstanceOf(InputTooLargeError);
    standin.putObject('podcasts', 'big.mp3', Buffer.alloc(1001));
    await expect(fetchSource('gs://podcasts/big.mp3', { gcs, tmpDir, policy })).rejects.toBeInstanceOf(InputTooLargeError);
    expect((await readdir(tmpDir)).filter((f) => f.startsWith('source-'))).toEqual([]);
  });

  it('used only implemented calls, without credentials', () => {
    expect(standin.unhandled).toEqual([]);
    expect(standin.authorized).toEqual([]);
  });
});
