/** Writes docs/configuration.md from the configuration's settings (test/src/docs.test.ts fails while it is stale). */
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from '@podpreview/shared';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), configurationMarkdown());
