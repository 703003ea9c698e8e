/** Where stage outputs live: decoded PCM, tracks, sentences, selections, rendered clips. */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  /**
   * The blob in shared memory (a SharedArrayBuffer), read there directly where the store can:
   * model threads then read the episode's PCM in place, with no copy per thread or call.
   */
  getShared(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Uploads a local file (source audio, rendered clips) without loading it whole. */
  putFile(key: string, localPath: string): Promise<void>;
  /**
   * As putFile, for a file the caller no longer needs (it is gone after): a rename where the
   * store is a local directory. `durable: false` for an intermediate its run can do again (the
   * decoded PCM): a local store then skips the fsync; a process crash loses nothing, an OS
   * crash may leave the file short, which its reader checks.
   */
  moveFile(key: string, localPath: string, o?: { durable?: boolean }): Promise<void>;
  /** Downloads to a local file so ffmpeg can read it. */
  getToFile(key: string, localPath: string): Promise<void>;
  /** Removes a blob; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every blob under `prefix/` (a run's tracks, a whole run). */
  deletePrefix(prefix: string): Promise<void>;
  /** A human- and tool-readable location: file:///… or gs://bucket/…. */
  uri(key: string): string;
  /**
   * A URL anyone holding it may GET the blob from until `expiresAt`, where the store can sign
   * one (GCS); stores without (the local directory) leave it out and the API serves the bytes.
   */
  signedUrl?(key: string, ttlSec: number): Promise<{ url: string; expiresAt: Date }>;
  /** The blob's path on this machine, where the store is a local directory: servers send it as a file. */
  localPath?(key: string): string;
}
