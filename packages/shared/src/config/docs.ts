import { CONFIG_DOMAINS } from './index.ts';
import type { Setting } from './setting.ts';

/**
 * docs/configuration.md, written from the settings themselves (`npm run docs:config`), so the
 * table cannot leave out a variable or show a default the code does not have.
 */
export function configurationMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from packages/shared/src/config/ by `npm run docs:config`; edit the settings there, not this file. -->',
    '',
    'All settings come from the environment, validated once at start-up by',
    '[`packages/shared/src/config/`](../packages/shared/src/config/index.ts) (the only module that reads it): one module',
    'per domain declares its variables, and they are composed into one `Config`. An invalid value stops the',
    'process with one message naming the variable. Empty values count as unset.',
  ];
  for (const domain of CONFIG_DOMAINS) {
    lines.push('', `## ${domain.title}`, '', '| variable | default | unit | meaning |', '|---|---|---|---|');
    for (const [name, s] of Object.entries(domain.settings)) lines.push(`| \`${name}\` | ${defaultOf(s)} | ${unitOf(name)} | ${fromDocs(s.doc)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The descriptions link from the repository root; the table sits one folder down. */
function fromDocs(markdown: string): string {
  return markdown.replace(/\]\((?!https?:|#)/g, '](../');
}

function defaultOf(s: Setting): string {
  if (s.defaultDoc !== undefined) return s.defaultDoc;
  const parsed = s.schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : 'unset';
}

/** The unit is in every numeric variable's name (`_MS`, `_SEC`, `_BYTES`), so the table reads it from there. */
function unitOf(name: string): string {
  if (name.endsWith('_PER_MIN')) return 'per minute';
  if (name.endsWith('_MS')) return 'ms';
  if (name.endsWith('_SEC')) return 's';
  if (name.endsWith('_MIN')) return 'min';
  if (name.endsWith('_BYTES')) return 'bytes';
  if (/_(RATIO|RATE|FRACTION)(_WARN|_CRIT)?$/.test(name)) return 'share (0–1)';
  return '';
}
