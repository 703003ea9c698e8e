#!/usr/bin/env node
// The bundle when it is current (`npm run build`), else the TypeScript sources through tsx.
import { fileURLToPath } from 'node:url';
import { launch } from '../../../scripts/launch.mjs';

await launch(fileURLToPath(new URL('..', import.meta.url)), 'podpreview-worker', 'worker.main.ts');
