/**
 * The one list of pipeline stages, in order. Queue names, worker selection, the next hop (and
 * so the type of each stage's output), status and the Kubernetes checks all derive from here,
 * so adding or reordering a stage is a one-file change.
 */
export const STAGE_NAMES = ['preprocess', 'ensemble-a', 'ensemble-b', 'selection', 'sink'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageSpec {
  readonly name: StageName;
  /** BullMQ queue name (the configured prefix is added by BullMQ itself). */
  readonly queue: string;
  /** Stage that consumes this stage's output, or null for the last one. */
  readonly next: StageName | null;
  /** Runs on GPU machines in production (checked against the Kubernetes manifests). */
  readonly gpu: boolean;
}

export const STAGES = [
  { name: 'preprocess', queue: 'preprocess', next: 'ensemble-a', gpu: false },
  { name: 'ensemble-a', queue: 'ensemble-a', next: 'ensemble-b', gpu: true },
  { name: 'ensemble-b', queue: 'ensemble-b', next: 'selection', gpu: false },
  { name: 'selection', queue: 'selection', next: 'sink', gpu: false },
  { name: 'sink', queue: 'sink', next: null, gpu: false },
] as const satisfies readonly StageSpec[];

/** The stage that consumes `S`'s output (`null` for the last stage), as a type. */
export type NextStage<S extends StageName> = Extract<(typeof STAGES)[number], { name: S }>['next'];

export function stageSpec(name: StageName): StageSpec {
  const spec = STAGES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown stage ${name}`);
  return spec;
}

export function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}

/** Parses a comma list such as "preprocess,ensemble-a"; "all" or empty means every stage. */
export function parseStageList(list: string | undefined): StageName[] {
  if (!list || list.trim() === '' || list.trim() === 'all') return [...STAGE_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isStageName(n));
  if (unknown.length > 0) {
    throw new Error(`unknown stage(s): ${unknown.join(', ')}; known: ${STAGE_NAMES.join(', ')}`);
  }
  return [...new Set(names as StageName[])];
}
