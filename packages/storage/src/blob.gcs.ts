import { rm, stat } from 'node:fs/promises';
import type { Bucket } from '@google-cloud/storage';
import type { BlobStore } from '@podpreview/shared';
import { assertBlobKey } from './blob-key.check.ts';
import { BlobNotFoundError } from './errors/storage.errors.ts';
import { createStorageClient, downloadToFile, isGcsNotFound } from './gcs.client.ts';

const RESUMABLE_ABOVE_BYTES = 8 * 1024 * 1024;

export interface GcsBlobStoreOptions {
  bucket: string;
  /** Custom endpoint (emulator, stand-in); no credentials are used with it. */
  apiEndpoint?: string | undefined;
  projectId?: string | undefined;
  /**
   * A service-account key to sign URLs with. Unset: the client's own credentials sign (on GKE,
   * the workload identity through the IAM signBlob API).
   */
  signingCredentials?: { client_email: string; private_key: string } | undefined;
}

/**
 * Blobs as objects in one bucket, for workers on several machines. GCS object writes are
 * atomic by themselves (an object appears only once its upload completes), so no temp keys.
 */
export class GcsBlobStore implements BlobStore {
  readonly bucketName: string;
  private readonly bucketReady: Promise<Bucket>;
  private readonly signingBucket: Promise<Bucket> | undefined;
  private bucket(): Promise<Bucket> {
    return this.bucketReady;
  }

  constructor(options: GcsBlobStoreOptions) {
    this.bucketName = options.bucket;
    this.bucketReady = createStorageClient(options).then((c) => c.bucket(options.bucket));
    if (options.signingCredentials) {
      this.signingBucket = createStorageClient({ ...options, credentials: options.signingCredentials }).then((c) => c.bucket(options.bucket));
      this.signingBucket.catch(() => {});
    }
    // A failure shows at the first use, where it is awaited.
    this.bucketReady.catch(() => {});
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    assertBlobKey(key);
    // Stage outputs are small; one multipart request beats the resumable handshake.
    // The content type is left to the client, which guesses it from the key's extension.
    await (await this.bucket()).file(key).save(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { resumable: false });
  }

  async get(key: string): Promise<Buffer> {
    assertBlobKey(key);
    try {
      const [data] = await (await this.bucket()).file(key).download();
      return data;
    } catch (err) {
      throw this.notFoundOr(key, err);
    }
  }
  /** Downloaded, then copied into shared memory once (the client hands back a Buffer). */
  async getShared(key: string): Promise<Uint8Array> {
    const data = await this.get(key);
    const bytes = new Uint8Array(new SharedArrayBuffer(data.byteLength));
    bytes.set(data);
    return bytes;
  }

  async exists(key: string): Promise<boolean> {
    assertBlobKey(key);
    const [exists] = await (await this.bucket()).file(key).exists();
    return exists;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    assertBlobKey(key);
    // The v7 client defaults to a resumable upload (two requests, survives a dropped
    // connection); worth it for source audio, not for a small clip. Streams from disk either way.
    const { size } = await stat(localPath);
    await (await this.bucket()).upload(localPath, { destination: key, resumable: size > RESUMABLE_ABOVE_BYTES });
  }

  /** Uploaded whole either way: `durable` is a local store's concern. */
  async moveFile(key: string, localPath: string, _o?: { durable?: boolean }): Promise<void> {
    await this.putFile(key, localPath);
    await rm(localPath, { force: true });
  }

  async getToFile(key: string, localPath: string): Promise<void> {
    assertBlobKey(key);
    try {
      await downloadToFile((await this.bucket()).file(key), localPath);
    } catch (err) {
      throw this.notFoundOr(key, err);
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await (await this.bucket()).file(key).delete({ ignoreNotFound: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertBlobKey(prefix.replace(/\/$/, ''));
    // `force`: delete every object it can, then report; a half-deleted run is retried by the lifecycle rule.
    await (await this.bucket()).deleteFiles({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/`, force: true });
  }

  uri(key: string): string {
    return `gs://${this.bucketName}/${key}`;
  }

  /** A V4 signed GET URL: a client fetches the clip straight from the bucket, no credentials of its own. */
  async signedUrl(key: string, ttlSec: number): Promise<{ url: string; expiresAt: Date }> {
    assertBlobKey(key);
    const expiresAt = new Date(Date.now() + ttlSec * 1000);
    const [url] = await (await (this.signingBucket ?? this.bucket())).file(key).getSignedUrl({ version: 'v4', action: 'read', expires: expiresAt });
    return { url, expiresAt };
  }

  private notFoundOr(key: string, err: unknown): unknown {
    return isGcsNotFound(err) ? new BlobNotFoundError(this.uri(key), err) : err;
  }
}
