import { SELECTION_WEIGHT_PARAMS, type SelectionWeightName, type SelectionWeights, selectionWeightEnv, selectionWeightsFrom } from '../selection-weights.ts';
import { type EnvOf, type Setting, setting } from './setting.ts';

export type { SelectionWeights } from '../selection-weights.ts';

type WeightEnv = keyof typeof selectionWeightEnv;

/**
 * Selection's weights as settings: the list in selection-weights.ts is their one home (value,
 * unit, range, reason), so the schema and the documentation are written from it.
 */
export const selectionSettings = Object.fromEntries(
  (Object.keys(SELECTION_WEIGHT_PARAMS) as SelectionWeightName[]).map((name) => {
    const p = SELECTION_WEIGHT_PARAMS[name];
    return [p.env, setting(selectionWeightEnv[p.env], `selection (${p.unit}, ${p.range[0]}–${p.range[1]}): ${p.reason}`)];
  }),
) as { [K in WeightEnv]: Setting<(typeof selectionWeightEnv)[K]> };

export interface SelectionConfig {
  weights: SelectionWeights;
}

export function selectionConfig(e: EnvOf<typeof selectionSettings>): SelectionConfig {
  return { weights: selectionWeightsFrom(e) };
}
