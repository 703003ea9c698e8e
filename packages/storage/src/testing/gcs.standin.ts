import { createHash, randomUUID } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { googleError, startStandin, type StandinRequest, type StandinResponse, type StandinServer } from './http.standin.ts';

/**
 * TEST STAND-IN, not an emulator: an in-memory imitation of the handful of Cloud Storage JSON
 * API calls that GcsBlobStore and fetchSource make through the real @google-cloud/storage v7
 * client (found by running the client against it; anything else answers 501):
 *
 *   GET  /storage/v1/b/{bucket}/o/{object}              metadata (File#exists)
 *   GET  /storage/v1/b/{bucket}/o/{object}?alt=media    bytes (File#download, createReadStream)
 *   POST /upload/storage/v1/b/{bucket}/o?uploadType=multipart   (File#save, small Bucket#upload)
 *   POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable   start a session (Bucket#upload > 5 MB)
 *   PUT  <session URI>                                   upload bytes to the session
 *   DELETE /storage/v1/b/{bucket}/o/{object}           File#delete
 *   GET  /storage/v1/b/{bucket}/o?prefix=P              list (Bucket#getFiles, Bucket#deleteFiles), one page
 *
 * Buckets exist implicitly. Hashes are real (MD5 and CRC32C), because the client validates
 * downloads and uploads against them.
 */
export interface GcsStandin extends StandinServer {
  /** Seeds an object directly, as if someone had uploaded it. */
  putObject(bucket: string, name: string, data: Uint8Array): void;
  getObject(bucket: string, name: string): Buffer | undefined;
  /** From now on every request about `bucket` fails with `status` (e.g. 403), to test error paths. */
  failBucket(bucket: string, status: number): void;
}

interface StoredObject {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: string;
  updated: string;
}

interface UploadSession {
  bucket: string;
  name: string;
  contentType: string;
  chunks: Buffer[];
  received: number;
}

export async function startGcsStandin(): Promise<GcsStandin> {
  const objects = new Map<string, StoredObject>();
  const sessions = new Map<string, UploadSession>();
  const failingBuckets = new Map<string, number>();
  let baseUrl = '';

  const store = (bucket: string, name: string, data: Buffer, contentType = 'application/octet-stream'): StoredObject => {
    const obj = { bucket, name, data, contentType, generation: String(Date.now() * 1000 + objects.size), updated: new Date().toISOString() };
    objects.set(`${bucket}/${name}`, obj);
    return obj;
  };

  const routes = (req: StandinRequest): StandinResponse | undefined => {
    const parts = req.url.pathname.split('/').map(decodeURIComponent);
    const failure = failingBuckets.get((parts[1] === 'upload' ? parts[5] : parts[4]) ?? '');
    if (failure) return googleError(failure, 'forbidden', `stand-in: bucket fails with ${failure}`);
    // ['', 'storage', 'v1', 'b', bucket, 'o']
    if (req.method === 'GET' && parts.length === 6 && parts[1] === 'storage' && parts[3] === 'b' && parts[5] === 'o') {
      const prefix = req.url.searchParams.get('prefix') ?? '';
      const items = [...objects.values()].filter((o) => o.bucket === parts[4] && o.name.startsWith(prefix)).map(resource);
      return { status: 200, body: { kind: 'storage#objects', items } };
    }
    if (req.method === 'DELETE' && parts.length === 7 && parts[1] === 'storage' && parts[3] === 'b' && parts[5] === 'o') {
      if (!objects.delete(`${parts[4]}/${parts[6]}`)) return googleError(404, 'notFound', `No such object: ${parts[4]}/${parts[6]}`);
      return { status: 204 };
    }
    // ['', 'storage', 'v1', 'b', bucket, 'o', object]
    if (req.method === 'GET' && parts.length === 7 && parts[1] === 'storage' && parts[3] === 'b' && parts[5] === 'o') {
      const obj = objects.get(`${parts[4]}/${parts[6]}`);
      if (!obj) return googleError(404, 'notFound', `No such object: ${parts[4]}/${parts[6]}`);
      if (req.url.searchParams.get('alt') === 'media') return media(obj);
      return { status: 200, body: resource(obj) };
    }
    // ['', 'upload', 'storage', 'v1', 'b', bucket, 'o']
    if (parts.length === 7 && parts[1] === 'upload' && parts[4] === 'b' && parts[6] === 'o') {
      const bucket = parts[5]!;
      const uploadType = req.url.searchParams.get('uploadType');
      if (req.method === 'POST' && uploadType === 'multipart') {
        const { metadata, data } = parseMultipart(req);
        const name = metadata.name ?? req.url.searchParams.get('name');
        if (!name) return googleError(400, 'required', 'object name is required');
        return { status: 200, body: resource(store(bucket, name, data, metadata.contentType)) };
      }
      if (req.method === 'POST' && uploadType === 'resumable') {
        const metadata = req.body.length ? (JSON.parse(req.body.toString('utf8')) as { name?: string; contentType?: string }) : {};
        const name = metadata.name ?? req.url.searchParams.get('name');
        if (!name) return googleError(400, 'required', 'object name is required');
        const id = randomUUID();
        sessions.set(id, { bucket, name, contentType: metadata.contentType ?? 'application/octet-stream', chunks: [], received: 0 });
        return { status: 200, headers: { location: `${baseUrl}${req.url.pathname}?uploadType=resumable&upload_id=${id}` } };
      }
      if (req.method === 'PUT' && uploadType === 'resumable') return resumableChunk(req);
    }
    return undefined;
  };

  /**
   * Content-Range forms the client sends: "bytes FIRST-LAST/TOTAL" for one chunk, a star for
   * LAST when the body is the whole rest of the object (single-request mode, which completes
   * the upload), a star for TOTAL while the size is unknown, and "bytes STAR/TOTAL" with an
   * empty body to ask how much arrived.
   */
  const resumableChunk = (req: StandinRequest): StandinResponse => {
    const id = req.url.searchParams.get('upload_id') ?? '';
    const session = sessions.get(id);
    if (!session) return googleError(404, 'notFound', `no upload session ${id}`);
    const header = String(req.headers['content-range']);
    const range = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header);
    if (!range) return googleError(400, 'invalid', `bad Content-Range ${header}`);
    const [, first, last, totalText] = range;
    if (first !== undefined) {
      if (Number(first) !== session.received) return googleError(400, 'invalid', `chunk starts at ${first}, expected ${session.received}`);
      session.chunks.push(req.body);
      session.received += req.body.length;
    }
    const total = totalText !== '*' ? Number(totalText) : last === '*' ? session.received : undefined;
    if (total !== undefined && session.received >= total) {
      sessions.delete(id);
      return { status: 200, body: resource(store(session.bucket, session.name, Buffer.concat(session.chunks), session.contentType)) };
    }
    // 308 "Resume Incomplete": tells the client how much arrived.
    return { status: 308, headers: session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : {} };
  };

  const server = await startStandin('gcs', routes);
  baseUrl = server.url;
  return {
    ...server,
    putObject: (bucket, name, data) => void store(bucket, name, Buffer.from(data)),
    getObject: (bucket, name) => objects.get(`${bucket}/${name}`)?.data,
    failBucket: (bucket, status) => void failingBuckets.set(bucket, status),
  };
}

function hashes(data: Buffer): { md5: string; crc32c: string } {
  // Not `CRC32C.from(buffer)`: that reads a buffer as an already-computed 4-byte checksum.
  const crc = new CRC32C();
  crc.update(data);
  return { md5: createHash('md5').update(data).digest('base64'), crc32c: crc.toString() };
}

function resource(obj: StoredObject): Record<string, string> {
  const { md5, crc32c } = hashes(obj.data);
  return {
    kind: 'storage#object',
    id: `${obj.bucket}/${obj.name}/${obj.generation}`,
    bucket: obj.bucket,
    name: obj.name,
    generation: obj.generation,
    metageneration: '1',
    contentType: obj.contentType,
    size: String(obj.data.length),
    md5Hash: md5,
    crc32c,
    storageClass: 'STANDARD',
    timeCreated: obj.updated,
    updated: obj.updated,
  };
}

function media(obj: StoredObject): StandinResponse {
  const { md5, crc32c } = hashes(obj.data);
  return {
    status: 200,
    headers: {
      'content-type': obj.contentType,
      'x-goog-hash': `crc32c=${crc32c},md5=${md5}`,
      'x-goog-generation': obj.generation,
      'x-goog-stored-content-encoding': 'identity',
    },
    body: obj.data,
  };
}

/** `multipart/related`: a JSON metadata part, then the media part. */
function parseMultipart(req: StandinRequest): { metadata: { name?: string; contentType?: string }; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(String(req.headers['content-type']))?.[1];
  if (!boundary) throw new Error('multipart upload without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = req.body.indexOf(delimiter);
  while (start !== -1) {
    const next = req.body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    parts.push(req.body.subarray(start + delimiter.length + 2, next - 2));
    start = next;
  }
  const content = (part: Buffer | undefined): Buffer => {
    if (!part) throw new Error('multipart upload with fewer than two parts');
    return part.subarray(part.indexOf('\r\n\r\n') + 4);
  };
  return { metadata: JSON.parse(content(parts[0]).toString('utf8')) as { name?: string; contentType?: string }, data: content(parts[1]) };
}
