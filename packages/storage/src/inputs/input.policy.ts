import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputNotAllowedError, InputNotFoundError, type InputPolicy } from '@podpreview/shared';

/** Where an input lives, once its URI is understood. */
export type InputLocation = { kind: 'file'; path: string } | { kind: 'gs'; bucket: string; object: string } | { kind: 'web'; url: URL };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Parses an input URI: a local path, file://, gs://bucket/object, or an http(s) URL (podcast
 * enclosures are often plain http). Anything else is refused.
 */
export function locateInput(uri: string): InputLocation {
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  // A Windows-style drive letter is not a scheme, and not a path we accept either.
  if (scheme === undefined || scheme.length === 1) return { kind: 'file', path: path.resolve(uri) };
  if (scheme === 'file') {
    try {
      return { kind: 'file', path: fileURLToPath(uri) };
    } catch (err) {
      // e.g. file://otherhost/x: no such file on this machine.
      throw new InputNotFoundError(uri, err);
    }
  }
  if (scheme === 'gs') {
    const match = /^gs:\/\/([^/]+)\/(.+)$/i.exec(uri);
    // `gs://bucket` or `gs://bucket/` names no object, so there is nothing to find.
    if (!match) throw new InputNotFoundError(uri, new Error('a gs:// URI needs a bucket and an object name'));
    return { kind: 'gs', bucket: match[1]!, object: match[2]! };
  }
  if (scheme === 'https' || scheme === 'http') return { kind: 'web', url: new URL(uri) };
  throw new InputNotAllowedError(uri, `scheme ${scheme}: only paths, file://, gs://, https:// and http:// are accepted`);
}

const inside = (child: string, root: string) => child === root || child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Checks an input against the policy and returns where it is. Local files must lie inside an
 * input root twice over: as written (so nothing outside the roots is ever looked at, and a
 * caller learns nothing about which files exist there) and after symlinks are followed (so a
 * link inside a root cannot lead out). Nothing under an excluded path (the blob store with other
 * runs' source copies and clips, the results database, scratch files) is an input, whatever the
 * roots say. gs:// must name an allowed bucket. Web hosts are checked when fetched, after DNS
 * resolution (see net.guard.ts).
 */
export async function checkInput(
  uri: string,
  policy: Pick<InputPolicy, 'roots' | 'buckets'> & Partial<Pick<InputPolicy, 'excluded'>>,
  o: { mustExist: boolean },
): Promise<InputLocation> {
  const where = locateInput(uri);
  if (where.kind === 'gs' && !policy.buckets.includes(where.bucket)) {
    throw new InputNotAllowedError(uri, `bucket ${where.bucket} is not in PODPREVIEW_INPUT_BUCKETS`);
  }
  if (where.kind === 'web' && (where.url.username || where.url.password)) throw new InputNotAllowedError(uri, 'credentials in the URL');
  if (where.kind !== 'file') return where;
  if (!policy.roots.some((root) => inside(where.path, root))) throw new InputNotAllowedError(uri, 'outside PODPREVIEW_INPUT_ROOTS');
  const excluded = policy.excluded ?? [];
  if (excluded.some((dir) => inside(where.path, dir))) throw new InputNotAllowedError(uri, 'podpreview’s own data');
  let real: string;
  try {
    real = await realpath(where.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (o.mustExist) throw new InputNotFoundError(uri, err);
      return where;
    }
    throw err;
  }
  const realRoots = await Promise.all(policy.roots.map((r) => realpath(r).catch(() => r)));
  if (!realRoots.some((root) => inside(real, root))) throw new InputNotAllowedError(uri, 'a link that leads outside PODPREVIEW_INPUT_ROOTS');
  const realExcluded = await Promise.all(excluded.map((d) => realpath(d).catch(() => d)));
  if (realExcluded.some((dir) => inside(real, dir))) throw new InputNotAllowedError(uri, 'a link into podpreview’s own data');
  return { kind: 'file', path: real };
}
