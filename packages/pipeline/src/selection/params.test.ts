import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SELECTION_WEIGHTS, loadConfig, SELECTION_WEIGHT_PARAMS } from '@podpreview/shared';
import { describe, expect, it } from 'vitest';
import { P, SELECTION_PARAMS, SELECTION_THRESHOLDS, selectionParamsMarkdown } from './params.ts';

const DOC = fileURLToPath(new URL('../../../../docs/selection-params.md', import.meta.url));

describe('selection parameters', () => {
  it('each has a value inside its range, a unit and a reason', () => {
    for (const [name, p] of Object.entries(SELECTION_PARAMS)) {
      expect(p.range[0], name).toBeLessThanOrEqual(p.value);
      expect(p.value, name).toBeLessThanOrEqual(p.range[1]);
      expect(p.unit.length, name).toBeGreaterThan(0);
      expect(p.reason.length, name).toBeGreaterThan(20);
    }
    expect(Object.keys(SELECTION_PARAMS)).toHaveLength(Object.keys(SELECTION_WEIGHT_PARAMS).length + Object.keys(SELECTION_THRESHOLDS).length);
    expect(P.endSlackSec).toBe(SELECTION_THRESHOLDS.endSlackSec.value);
  });

  it("config's weights are the list's defaults, overridable by their environment variable within range", () => {
    expect(loadConfig({}).weights).toEqual(DEFAULT_SELECTION_WEIGHTS);
    expect(loadConfig({ PODPREVIEW_WEIGHT_AD: '2.5' }).weights.ad).toBe(2.5);
    expect(() => loadConfig({ PODPREVIEW_WEIGHT_AD: String(SELECTION_WEIGHT_PARAMS.ad.range[1] + 1) })).toThrow(/PODPREVIEW_WEIGHT_AD/);
  });

  it('docs/selection-params.md is the table written from the list (npm run docs:selection-params)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(selectionParamsMarkdown());
  });
});
