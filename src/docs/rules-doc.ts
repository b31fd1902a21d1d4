import type { AnyCheck, RuleInfo } from '../core/check.js';
import { SNAPSHOT_RULES } from '../core/unreadable.js';

/**
 * docs/rules.md, made from the checks themselves so that the page every help link points at can never miss a
 * rule or give a wrong default. A test keeps the committed page equal to this.
 */
export function renderRulesDoc(checks: readonly AnyCheck[]): string {
  const lines: string[] = [
    '# Checks and rules',
    '',
    '<!-- Generated from the checks by `npm run docs`; edit the rule descriptions in src/checks/, not here. -->',
    '',
    'Each check can be set to `error`, `warning` or `off` under its own key in `.github/openly.yml`; each rule can',
    'be set to `error`, `warning`, `notice` or `off` under `rules:`. The level shown is the default.',
    '',
  ];
  const sections: { heading: string; intro: string; rules: Record<string, RuleInfo> }[] = [
    ...checks.map((check) => ({
      heading: `\`${check.id}\``,
      intro: `The ${check.title.toLowerCase()} check and its rules.`,
      rules: check.rules,
    })),
    {
      heading: 'The snapshot',
      intro:
        'Rules about the files a check could see, attached to the result of every check that reads files.',
      rules: SNAPSHOT_RULES,
    },
  ];
  for (const check of sections) {
    lines.push(
      `## ${check.heading}`,
      '',
      check.intro,
      '',
      '| rule | default | what it asks for |',
      '|---|---|---|',
    );
    for (const [id, info] of Object.entries(check.rules)) {
      lines.push(
        `| [\`${id}\`](#${id.replace(/\//g, '').toLowerCase()}) | ${info.level} | ${info.description.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
    for (const [id, info] of Object.entries(check.rules)) {
      lines.push(`### \`${id}\``, '', `Default: **${info.level}**.`, '', info.description, '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
