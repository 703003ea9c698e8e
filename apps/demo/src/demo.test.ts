import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('./demo.main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('npm run demo -- --serve', () => {
  it('refuses to serve the dashboard off loopback without users, before it starts anything', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PODPREVIEW_DASHBOARD_HOST: '0.0.0.0', LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO, '--serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    // Serving, it would run the samples and then listen for ever: the test's timeout fails it.
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PODPREVIEW_DASHBOARD_HOST=0\.0\.0\.0 is not loopback, and PODPREVIEW_DASHBOARD_USERS is empty/);
    expect(stdout).not.toMatch(/succeeded/);
  }, 90_000);
});
