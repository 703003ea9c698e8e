import { createHash } from 'node:crypto';
import { access, constants, mkdir, readFile } from 'node:fs/promises';
import { DEFAULT_MANIFEST_PATH, type ModelEntry, readManifest, resolveModelPath } from '@podpreview/model-manifest';
import { connectRedis } from '@podpreview/runs';
import { type BuildInfo, buildInfo, type Config, describeRedisTarget, errorMessage, redisTargetOf, runCommand } from '@podpreview/shared';

export interface ModelFile {
  id: string;
  version: string;
  stage: string;
  sha256: string;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a failed check. */
  fix?: string;
}

export interface VersionReport {
  build: BuildInfo;
  models: ModelFile[];
}

export interface DoctorReport extends VersionReport {
  ffmpeg: string | null;
  redis: { url: string; version: string | null };
  executionProviders: string[];
  checks: Check[];
}

/** Code, packages and models: what `GET /version` answers and every result row is stamped with. */
export async function versionReport(config: Pick<Config, 'modelManifestPath' | 'buildCommit'>): Promise<VersionReport> {
  const models = await readManifest(config.modelManifestPath ?? DEFAULT_MANIFEST_PATH);
  return {
    build: buildInfo(config.buildCommit),
    models: models.map(({ id, version, stage, sha256 }) => ({ id, version, stage, sha256 })),
  };
}

/** What only the worker side can tell: the execution providers onnxruntime can use on this machine. */
export interface DoctorProbes {
  /** Providers usable here (`cpu`, `cuda`); throws when onnxruntime cannot be loaded. */
  executionProviders: () => Promise<string[]>;
}

/**
 * `podpreview doctor`: everything a run depends on, checked, each failure with what to do.
 * Client-side code: onnxruntime is asked about its providers only through `probes`, which the
 * command passes in (it loads onnxruntime; the dashboard and the API never do).
 */
export async function doctor(config: Config, probes: DoctorProbes): Promise<DoctorReport> {
  const checks: Check[] = [];
  const version = await versionReport(config);
  const manifestPath = config.modelManifestPath ?? DEFAULT_MANIFEST_PATH;
  for (const m of await readManifest(manifestPath)) checks.push(await modelCheck(m, manifestPath, config));

  const ffmpeg = await toolVersion('ffmpeg');
  const ffprobe = await toolVersion('ffprobe');
  checks.push({
    name: 'ffmpeg and ffprobe',
    ok: ffmpeg !== null && ffprobe !== null,
    detail: ffmpeg ?? 'not found',
    ...(ffmpeg && ffprobe ? {} : { fix: 'apt-get install -y ffmpeg' }),
  });

  const target = redisTargetOf(config);
  const redis = { url: target ? describeRedisTarget(target) : '(REDIS_URL not set)', version: null as string | null };
  if (target) {
    try {
      const r = await connectRedis(target, 'client', config.redisConnectTimeoutMs);
      try {
        const info = await r.info('server');
        const memory = await r.config('GET', 'maxmemory-policy');
        redis.version = /redis_version:(\S+)/.exec(info)?.[1] ?? null;
        const [major = 0, minor = 0] = (redis.version ?? '0.0').split('.').map(Number);
        checks.push({
          name: 'Redis version',
          ok: major > 6 || (major === 6 && minor >= 2),
          detail: `${redis.version} at ${redis.url}`,
          fix: 'BullMQ 6 needs Redis 6.2 or newer',
        });
        const policy = (memory as string[])[1];
        checks.push({
          name: 'Redis maxmemory-policy',
          ok: policy === 'noeviction',
          detail: policy ?? 'unknown',
          ...(policy === 'noeviction' ? {} : { fix: 'CONFIG SET maxmemory-policy noeviction: an evicted key loses a job' }),
        });
      } finally {
        r.disconnect();
      }
    } catch (err) {
      checks.push({
        name: 'Redis reachable',
        ok: false,
        detail: errorMessage(err),
        fix: 'start Redis or point REDIS_URL at it',
      });
    }
  } else {
    checks.push({ name: 'Redis configured', ok: true, detail: 'REDIS_URL unset: the demo and enqueue --wait start a private redis-server' });
  }

  let executionProviders: string[] = [];
  try {
    executionProviders = await probes.executionProviders();
  } catch (err) {
    checks.push({
      name: 'onnxruntime-node',
      ok: false,
      detail: errorMessage(err),
      fix: 'npm ci (the CPU provider ships inside onnxruntime-node)',
    });
  }
  if (config.executionProvider === 'cuda') {
    const ok = executionProviders.includes('cuda');
    checks.push({
      name: 'CUDA execution provider',
      ok,
      detail: executionProviders.join(', '),
      ...(ok ? {} : { fix: 'use the GPU image (infra/docker/Dockerfile.gpu), or PODPREVIEW_EXECUTION_PROVIDER=cpu' }),
    });
  }

  for (const [name, dir] of [
    ['data directory', config.dataDir],
    ['temp directory', config.tempDir],
  ] as const) {
    const ok = await mkdir(dir, { recursive: true }).then(
      () => access(dir, constants.W_OK).then(() => true),
      () => false,
    );
    checks.push({ name, ok, detail: dir, ...(ok ? {} : { fix: `make ${dir} writable for this user` }) });
  }
  for (const root of config.inputs.roots) {
    const ok = await access(root, constants.R_OK).then(
      () => true,
      () => false,
    );
    checks.push({ name: 'input root', ok, detail: root, ...(ok ? {} : { fix: 'create it, or fix PODPREVIEW_INPUT_ROOTS' }) });
  }
  return { ...version, ffmpeg, redis, executionProviders, checks };
}

/** Why this configuration does not run a model, or null when it does. */
function notNeededBecause(m: ModelEntry, config: Config): string | null {
  if (config.modelsSkip.includes(m.id)) return 'PODPREVIEW_MODELS_SKIP names it';
  if (m.stage === 'transcribe' && config.asr.mode === 'off') return 'speech-to-text is off (PODPREVIEW_ASR=off)';
  return null;
}

async function modelCheck(m: ModelEntry, manifestPath: string, config: Config): Promise<Check> {
  const name = `model ${m.id}@${m.version}`;
  const file = resolveModelPath(m, manifestPath);
  const got = await readFile(file).then(
    (b) => createHash('sha256').update(b).digest('hex'),
    () => null,
  );
  const unused = notNeededBecause(m, config);
  if (unused !== null) {
    const state = got === null ? 'not installed' : got === m.sha256 ? 'installed, sha256 matches' : 'installed, sha256 differs from the manifest';
    return { name, ok: true, detail: `${state}; not needed: ${unused}` };
  }
  if (got === m.sha256) return { name, ok: true, detail: 'sha256 matches the manifest' };
  // A model from a Debian package is restored by reinstalling the package, not from git.
  const fix = m.debianPackages?.length
    ? `apt-get install -y --reinstall ${m.debianPackages.join(' ')}`
    : 'restore the weights from the repository (git checkout packages/models/weights) or fix the manifest entry';
  const detail = got === null ? `${file} is missing` : `sha256 ${got} differs from the manifest's ${m.sha256}`;
  return { name, ok: false, detail, fix };
}

async function toolVersion(tool: string): Promise<string | null> {
  try {
    const r = await runCommand(tool, ['-version']);
    return r.code === 0 ? (r.stdout.toString('utf8').split('\n')[0] ?? '').trim() : null;
  } catch {
    return null;
  }
}
