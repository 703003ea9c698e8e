import type { z } from 'zod';
import { BlobContractError } from '../errors/index.ts';
import type { BlobStore } from './blob-store.ts';

export async function putJsonBlob<T>(blobs: BlobStore, key: string, value: T): Promise<void> {
  await blobs.put(key, Buffer.from(JSON.stringify(value)));
}

/** Reads a JSON blob and parses it against its contract: readers parse, they never cast. */
export async function getJsonBlob<S extends z.ZodType>(blobs: BlobStore, key: string, schema: S): Promise<z.infer<S>> {
  const bytes = await blobs.get(key);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new BlobContractError(key, `not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BlobContractError(key, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}
