import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@podpreview/shared';
import { renderAlertRules } from './prometheus.rules.ts';

/** `npm run rules`: infra/prometheus/alerts.rules.yml from the alert thresholds of this environment. */
const target = fileURLToPath(new URL('../../../infra/prometheus/alerts.rules.yml', import.meta.url));
const config = loadConfig();
writeFileSync(target, renderAlertRules(config.alerts, { variant: config.variant, deadLetterMax: config.deadLetterMax }));
process.stdout.write(`wrote ${target}\n`);
