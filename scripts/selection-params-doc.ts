/** `npm run docs:selection-params`: writes docs/selection-params.md from selection's parameter list (a test fails when it is stale). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selectionParamsMarkdown } from '../packages/pipeline/src/selection/params.ts';

const out = fileURLToPath(new URL('../docs/selection-params.md', import.meta.url));
writeFileSync(out, selectionParamsMarkdown());
process.stdout.write(`wrote ${out}\n`);
