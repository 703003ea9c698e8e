import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which code and which installed packages are running: two rows with the same fingerprint ran the same build. */
export interface BuildInfo {
  name: string;
  version: string;
  /** Git commit of the checkout, or PODPREVIEW_BUILD_COMMIT where the image has no .git; null if neither. */
  commit: string | null;
  node: string;
  /** Every installed package (direct and transitive), as npm recorded it in node_modules. */
  packages: { name: string; version: string }[];
  /** sha256 of the sorted package list: changes when any dependency does. */
  packagesHash: string;
  /** Short hash of version, commit and packages, stored on every result row. */
  fingerprint: string;
}

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
let cached: BuildInfo | undefined;

export function buildInfo(buildCommit?: string): BuildInfo {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version?: string };
  const packages = installedPackages();
  const packagesHash = createHash('sha256')
    .update(packages.map((p) => `${p.name}@${p.version}`).join('\n'))
    .digest('hex');
  const commit = gitCommit() ?? buildCommit ?? null;
  const version = pkg.version ?? '0.0.0';
  const fingerprint = createHash('sha256')
    .update(`${version}\n${commit ?? ''}\n${packagesHash}`)
    .digest('hex')
    .slice(0, 16);
  cached = { name: pkg.name, version, commit, node: process.version, packages, packagesHash, fingerprint };
  return cached;
}

/** npm's record of what it installed (node_modules/.package-lock.json); the lockfile when absent. */
function installedPackages(): { name: string; version: string }[] {
  for (const file of ['node_modules/.package-lock.json', 'package-lock.json']) {
    try {
      const lock = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { packages: Record<string, { name?: string; version?: string; link?: boolean }> };
      return Object.entries(lock.packages)
        .filter(([where, p]) => where.includes('node_modules/') && p.version && !p.link)
        .map(([where, p]) => ({ name: p.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length), version: p.version! }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
    } catch {
      // try the next
    }
  }
  return [];
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}
