import { describe, expect, it } from 'vitest';
import { STAGE_INPUTS } from './contracts.ts';
import { parseStageList, STAGE_NAMES, STAGES } from './stages.ts';

describe('stage registry', () => {
  it('chains the stages in order and ends at sink', () => {
    expect(STAGES.map((s) => s.name)).toEqual(['preprocess', 'ensemble-a', 'ensemble-b', 'selection', 'sink']);
    for (const [i, s] of STAGES.entries()) expect(s.next).toBe(STAGES[i + 1]?.name ?? null);
  });

  it('has a payload contract for every stage', () => {
    expect(Object.keys(STAGE_INPUTS).sort()).toEqual([...STAGE_NAMES].sort());
  });

  it('parses stage lists and rejects unknown names', () => {
    expect(parseStageList('all')).toEqual([...STAGE_NAMES]);
    expect(parseStageList('ensemble-a, sink')).toEqual(['ensemble-a', 'sink']);
    expect(() => parseStageList('ensemble-c')).toThrow(/ensemble-c/);
  });
});
