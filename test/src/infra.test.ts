import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';

const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.log('infra manifests not rendered: kubectl is not installed (apt-get install kubernetes-client)');

describe('infra manifests', () => {
  it.skipIf(!hasKubectl)('render with kustomize and pass infra/check.sh (GPU stages on T4 in gke, none in local)', () => {
    const out = execFileSync('bash', [path.join(REPO_ROOT, 'infra/check.sh')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toMatch(/gke/);
    expect(out).toMatch(/local/);
  });
});
