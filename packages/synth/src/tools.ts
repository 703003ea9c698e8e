import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

/** General MIDI soundfont shipped by Debian's fluid-soundfont-gm. */
export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/** Install hints for every external program the synthesis helpers call. */
export const TOOL_HINTS = {
  'espeak-ng': 'apt-get install espeak-ng',
  flite: 'apt-get install flite',
  sox: 'apt-get install sox',
  fluidsynth: 'apt-get install fluidsynth fluid-soundfont-gm',
  ffmpeg: 'apt-get install ffmpeg',
  ffprobe: 'apt-get install ffmpeg',
} as const;
export type Tool = keyof typeof TOOL_HINTS;

export function hasTool(tool: Tool): boolean {
  return !spawnSync(tool, [tool.startsWith('ff') ? '-version' : '--version'], { stdio: 'ignore' }).error;
}

export function hasSoundfont(): boolean {
  try {
    return statSync(SOUNDFONT).isFile();
  } catch {
    return false;
  }
}

/** What is missing, as install hints; empty when everything the given tools need is present. */
export function missingTools(tools: readonly Tool[], soundfont = tools.includes('fluidsynth')): string[] {
  const missing: string[] = tools.filter((t) => !hasTool(t)).map((t) => `${t} (try: ${TOOL_HINTS[t]})`);
  if (soundfont && !hasSoundfont()) missing.push(`${SOUNDFONT} (try: apt-get install fluid-soundfont-gm)`);
  return missing;
}

/** Fails early with install hints instead of a cryptic ENOENT halfway through a render. */
export function checkTools(tools: readonly Tool[]): void {
  const missing = missingTools(tools);
  if (missing.length > 0) throw new Error(`Required tools not found: ${missing.join('; ')}`);
}
