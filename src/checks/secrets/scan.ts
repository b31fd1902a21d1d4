/**
 * The secret scanner: secretlint's recommended preset run over one text at a time, with a cheap test first so that
 * only texts that could hold a secret are handed to it. Nothing here ever returns a secret's text: a hit carries
 * where it is and what kind it is, and a digest used only to tell the same secret seen twice.
 */
import { createHash } from 'node:crypto';
import { lintSource } from '@secretlint/core';
import { creator as recommended, rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';

/** One secret found in a text. */
export interface SecretHit {
  /** A person's name for the kind of secret, e.g. "AWS Secret Access Key", from the rule's own message. */
  kind: string;
  /** secretlint's rule id and message id, e.g. `@secretlint/secretlint-rule-aws` / `AWSSecretAccessKey`. */
  ruleId: string;
  messageId: string;
  /** 1-based, in the text given. */
  line: number;
  column: number;
  endLine: number;
  /** A digest of the secret, for telling one secret seen in two places; never shown. */
  digest: string;
}

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';
const COMMENTS_RULE = '@secretlint/secretlint-rule-filter-comments';

/** `(SECRET|secret|Secret)_?(ACCESS|access|Access)`: the AWS rule's required words, each as the rule spells them. */
const AWS_TRIGGERS = ['SECRET', 'secret', 'Secret'].flatMap((secret) =>
  ['ACCESS', 'access', 'Access'].flatMap((access) => [`${secret}_${access}`, `${secret}${access}`]),
);

/**
 * For each rule of the preset, strings one of which every text it reports must contain, read from the rule's own
 * patterns. A text holding none of them is never given to secretlint, which keeps a 50,000-file tree cheap. Rules
 * matching case-insensitively (database URLs, Slack webhooks, basic auth in URLs) all need a `://`. A test fails
 * when the preset gains a rule missing here, so an upgrade cannot silently stop finding a kind.
 */
export const TRIGGERS: Readonly<Record<string, readonly string[]>> = {
  '@secretlint/secretlint-rule-aws': AWS_TRIGGERS,
  '@secretlint/secretlint-rule-gcp': ['private_key_id'],
  '@secretlint/secretlint-rule-privatekey': ['PRIVATE KEY'],
  '@secretlint/secretlint-rule-npm': ['://', '_authToken=', 'npm_'],
  '@secretlint/secretlint-rule-basicauth': ['://'],
  '@secretlint/secretlint-rule-slack': ['xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-', '://'],
  '@secretlint/secretlint-rule-sendgrid': ['SG.'],
  '@secretlint/secretlint-rule-shopify': ['shppa_', 'shpca_', 'shpat_', 'shpss_'],
  '@secretlint/secretlint-rule-stripe': ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
  '@secretlint/secretlint-rule-github': ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  '@secretlint/secretlint-rule-gitlab': ['glpat-'],
  '@secretlint/secretlint-rule-grafana': ['glc_', 'glsa_'],
  '@secretlint/secretlint-rule-openai': ['T3BlbkFJ'],
  '@secretlint/secretlint-rule-anthropic': ['sk-ant-api0'],
  '@secretlint/secretlint-rule-groq': ['gsk_'],
  '@secretlint/secretlint-rule-huggingface': ['hf_'],
  '@secretlint/secretlint-rule-linear': ['lin_api_'],
  '@secretlint/secretlint-rule-notion': ['ntn_'],
  '@secretlint/secretlint-rule-1password': ['ops_ey'],
  '@secretlint/secretlint-rule-database-connection-string': ['://'],
  '@secretlint/secretlint-rule-hashicorp-vault': ['hvs.', 'hvb.', 'hvr.'],
  '@secretlint/secretlint-rule-vercel': ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
  '@secretlint/secretlint-rule-databricks': ['dapi'],
  '@secretlint/secretlint-rule-docker': ['dckr_pat_'],
  '@secretlint/secretlint-rule-figma': ['figd_'],
  '@secretlint/secretlint-rule-cloudflare': ['cfk_', 'cfut_', 'cfat_'],
  '@secretlint/secretlint-rule-tailscale': ['tskey-'],
  // Only ever hides reports (`secretlint-disable` comments); it finds nothing itself.
  [COMMENTS_RULE]: [],
};

/** Every trigger once, for `filesContaining` and the test on each text. */
export const NEEDLES: readonly string[] = [...new Set(Object.values(TRIGGERS).flat())];

/** The preset's rule ids, for the test that keeps TRIGGERS complete. */
export const PRESET_RULE_IDS: readonly string[] = presetRules.map((rule) => rule.meta.id);

/** Whether a text could hold a secret any rule reports. */
export function mayHoldSecret(text: string): boolean {
  for (const needle of NEEDLES) if (text.includes(needle)) return true;
  return false;
}

/**
 * Kind names from the rules' English messages, rendered with placeholders and cut before the placeholder: the
 * secret never reaches this text, so nothing of it can. `found AWS Secret Access Key: …` → `AWS Secret Access Key`.
 */
const KINDS: ReadonlyMap<string, string> = (() => {
  const kinds = new Map<string, string>();
  const placeholders = new Proxy({}, { get: () => '' });
  for (const rule of presetRules) {
    const messages = (rule.messages ?? {}) as Record<string, { en?: (props: unknown) => string }>;
    for (const [messageId, message] of Object.entries(messages)) {
      const sample = typeof message.en === 'function' ? message.en(placeholders) : '';
      const name = sample
        .replace(/^found\s+/i, '')
        .split(/[:(]/)[0]!
        .trim();
      if (name !== '') kinds.set(`${rule.meta.id}#${messageId}`, name);
    }
  }
  return kinds;
})();

/** The kind of secret a rule's message stands for; a plain description when the preset names none. */
export function kindOf(ruleId: string, messageId: string): string {
  const known = KINDS.get(`${ruleId}#${messageId}`);
  if (known !== undefined) return known;
  const short = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return `secret (secretlint rule ${short})`;
}

const CONFIG = { rules: [{ id: PRESET_ID, rule: recommended }] };

/**
 * The secrets in `text`, which came from `path` (secretlint's npm and GCP rules look at the file name). A text
 * without any trigger costs one pass of `includes` per trigger and is never linted.
 */
export async function scanText(text: string, path: string): Promise<SecretHit[]> {
  if (!mayHoldSecret(text)) return [];
  // secretlint drops a byte order mark itself and counts from after it; dropping it here keeps offsets ours.
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const ext = extension(path);
  const result = await lintSource({
    source: {
      content,
      // Never a path on this disk: the GCP rule reads a `.p12` file it is given the path of, and a check reads
      // nothing but its snapshot. The name stays, for the rules that look at it.
      filePath: `/openly-snapshot/${path}`,
      ext: ext === '.p12' ? '' : ext,
      contentType: 'text',
    },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  const hits: SecretHit[] = [];
  for (const message of result.messages) {
    if (message.type !== 'message') continue;
    const [from, to] = message.range;
    hits.push({
      kind: kindOf(message.ruleId, message.messageId),
      ruleId: message.ruleId,
      messageId: message.messageId,
      line: message.loc.start.line,
      // secretlint's columns count from 0.
      column: message.loc.start.column + 1,
      endLine: message.loc.end.line,
      digest: createHash('sha256').update(content.slice(from, to)).digest('base64url'),
    });
  }
  return hits;
}

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}
