import { InvalidBlobKeyError } from './errors/storage.errors.ts';

/**
 * Blob keys are relative slash paths (`episodes/ep-1/pcm.s16`). The local store turns them into
 * file paths under its root, so a key must never be able to climb out of it; the GCS store
 * applies the same rule so a key that works in one backend works in the other.
 */
export function assertBlobKey(key: string): void {
  const reason = keyProblem(key);
  if (reason) throw new InvalidBlobKeyError(key, reason);
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'empty';
  if (key.startsWith('/')) return 'absolute';
  if (/^[A-Za-z]:/.test(key)) return 'absolute (drive letter)';
  // A backslash is a separator on Windows and would smuggle `..\` past the segment check.
  if (key.includes('\\')) return 'contains a backslash';
  if (key.includes('\0')) return 'contains a NUL byte';
  for (const segment of key.split('/')) {
    if (segment === '..') return 'contains a ".." segment';
    if (segment === '.' || segment === '') return 'contains an empty or "." segment';
  }
  return undefined;
}
