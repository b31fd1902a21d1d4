import ignore from 'ignore';
import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../../core/check.js';
import { compileGlobs, GlobError } from '../../core/glob.js';
import type { RepoSnapshot } from '../../sources/snapshot.js';
import { mayHoldSecret, NEEDLES, scanText, type SecretHit } from './scan.js';

/** `secrets:` in `.github/openly.yml`. */
export interface SecretsOptions {
  /** Globs of files never scanned (test fixtures holding fake credentials), beside `.secretlintignore`. */
  ignore: readonly string[];
}

/** secretlint's own allow-list at the repository's root, in .gitignore syntax; honoured as secretlint does. */
export const SECRETLINT_IGNORE = '.secretlintignore';

const RULE = {
  tree: 'secrets/in-tree',
  history: 'secrets/in-history',
} as const;

export const secretsRules: Record<string, RuleInfo> = {
  [RULE.tree]: {
    level: 'error',
    description:
      'No file holds a credential (a cloud key, an access token, a private key, a webhook URL, a password in a URL), as secretlint’s recommended rules recognise them.',
  },
  [RULE.history]: {
    level: 'error',
    description:
      'No commit under judgement added a credential, even one a later commit removed: the history keeps it. Read where the history is at hand (the CLI with a range, the Action with full history).',
  },
};

export const secretsOptions: CheckOptionsSpec<SecretsOptions> = {
  schema: {
    title: 'secrets check',
    description:
      'Checks that no credential is in the files or in what the judged commits added, with secretlint’s recommended rules. Files listed in .secretlintignore (gitignore syntax) or under ignore are not scanned. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'secrets check settings',
        description: 'The level of the secrets check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          ignore: {
            title: 'ignore',
            description:
              'Globs of files not scanned for secrets, such as test fixtures that hold made-up credentials ("test/fixtures/**"). Added to what .secretlintignore lists.',
            type: 'array',
            items: { type: 'string', minLength: 1 },
          },
        },
      },
    ],
  },
  defaults: () => ({ ignore: [] }),
};

/** At most this many secrets are listed one by one; the rest are counted in one finding. */
export const MAX_LISTED_SECRETS = 100;

/** File names that often hold credentials: what the App fetches for this check beyond what others read. */
const RISKY_NAME =
  /(^|\/)(\.env(\.[^/]*)?|\.npmrc|\.netrc|\.pypirc|\.git-credentials|credentials(\.[^/]*)?|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p8|ppk|tfvars)|[^/]*(service[-_]?account|secret|credential)[^/]*\.json)$/i;
/** So that a tree full of such names costs the App one more batch of files at most. */
const MAX_RISKY_WANTED = 200;

/** Where each issuer lets its credentials be revoked, by secretlint rule; the fix text names it. */
const REVOKE_AT: Record<string, string> = {
  '@secretlint/secretlint-rule-aws': 'in the AWS IAM console (deactivate and delete the access key)',
  '@secretlint/secretlint-rule-gcp': 'in Google Cloud’s IAM console (delete the service account key)',
  '@secretlint/secretlint-rule-privatekey':
    'by replacing the key pair and removing the old public key wherever it is trusted',
  '@secretlint/secretlint-rule-github':
    'in GitHub’s settings (Developer settings → tokens, or the app’s page)',
  '@secretlint/secretlint-rule-gitlab': 'in GitLab’s access token settings',
  '@secretlint/secretlint-rule-slack':
    'in the Slack app’s settings (regenerate the token or remove the webhook)',
  '@secretlint/secretlint-rule-npm': 'on npmjs.com (Access Tokens) or with `npm token revoke`',
  '@secretlint/secretlint-rule-database-connection-string': 'by changing the database user’s password',
  '@secretlint/secretlint-rule-basicauth': 'by changing the password on the service the URL names',
};

function revokeWhere(ruleId: string): string {
  return REVOKE_AT[ruleId] ?? 'with whoever issued it';
}

function fixFor(hit: SecretHit, inTree: boolean): string {
  const remove = inTree
    ? 'then delete it from the file, load it from the environment or a secrets store instead, and remove it from the history with `git filter-repo --replace-text <file of secrets>`'
    : 'then remove it from the history with `git filter-repo --replace-text <file of secrets>` and a forced push';
  return `Revoke it first, ${revokeWhere(hit.ruleId)}, because anyone who could read the repository may have copied it; ${remove} (rewriting history does not un-leak a secret that was ever public); if it is a made-up value in a test fixture, list the file in ${SECRETLINT_IGNORE}.`;
}

/** Which paths are not scanned: .secretlintignore and the `ignore` option. */
function ignoredBy(snapshot: RepoSnapshot, globs: readonly string[]): (path: string) => boolean {
  const tests: Array<(path: string) => boolean> = [];
  const file = snapshot.read(SECRETLINT_IGNORE);
  if (file.kind === 'text') {
    const rules = ignore().add(file.text);
    tests.push((path) => {
      try {
        return rules.ignores(path);
      } catch {
        // `ignore` refuses names it cannot judge (none a snapshot lists, but a remote one is untrusted).
        return false;
      }
    });
  }
  if (globs.length > 0) {
    try {
      const matcher = compileGlobs(globs);
      tests.push((path) => matcher.test(path));
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
      throw new Error(`secrets.ignore: ${error.message}`);
    }
  }
  return (path) => tests.some((test) => test(path));
}

interface Counts {
  /** Files in the tree that were not scanned for being ignored. */
  ignored: number;
  /** Files handed to secretlint (those holding a trigger). */
  linted: number;
  binary: number;
  tooLarge: number;
  /** Files the source could not give (not fetched by the App, unreadable). */
  unread: number;
}

function sha7(sha: string): string {
  return /^[0-9a-f]{7,}$/.test(sha) ? sha.slice(0, 7) : '(unknown)';
}

async function scanTree(
  ctx: CheckContext<SecretsOptions>,
  ignored: (path: string) => boolean,
  counts: Counts,
): Promise<Array<{ path: string; hit: SecretHit }>> {
  const { snapshot } = ctx;
  ctx.checkpoint();
  const files = snapshot.files().filter((path) => {
    if (!ignored(path)) return true;
    counts.ignored++;
    return false;
  });
  // A local checkout finds the few files holding a trigger with one `git grep`; elsewhere each file is read.
  const found = snapshot.filesContaining?.(NEEDLES);
  const candidates = found === undefined ? files : found.paths.filter((path) => !ignored(path));
  const hits: Array<{ path: string; hit: SecretHit }> = [];
  for (const path of candidates) {
    ctx.checkpoint();
    const content = snapshot.read(path);
    switch (content.kind) {
      case 'text':
        if (!mayHoldSecret(content.text)) continue;
        counts.linted++;
        for (const hit of await scanText(content.text, path)) hits.push({ path, hit });
        break;
      case 'binary':
        counts.binary++;
        break;
      case 'too-large':
        counts.tooLarge++;
        break;
      case 'unavailable':
        counts.unread++;
        break;
      case 'missing':
        break;
    }
  }
  return hits;
}

export const secretsCheck: Check<SecretsOptions> = {
  id: 'secrets',
  title: 'Secrets',
  rules: secretsRules,
  options: secretsOptions,
  needles: NEEDLES,

  wants(paths) {
    // The App reads what the other checks read, and these: reading every file would cost a request per 250.
    const risky = paths.filter((path) => RISKY_NAME.test(path)).slice(0, MAX_RISKY_WANTED);
    return paths.includes(SECRETLINT_IGNORE) ? [SECRETLINT_IGNORE, ...risky] : risky;
  },

  async run(ctx) {
    const { snapshot } = ctx;
    // Options are absent when a caller builds a policy without this check's defaults.
    const ignored = ignoredBy(snapshot, (ctx.options as SecretsOptions | undefined)?.ignore ?? []);
    const counts: Counts = { ignored: 0, linted: 0, binary: 0, tooLarge: 0, unread: 0 };
    const findings: DraftFinding[] = [];
    const inTree = new Set<string>();
    let listed = 0;
    let unlisted = 0;
    const add = (finding: DraftFinding): void => {
      if (listed < MAX_LISTED_SECRETS) {
        findings.push(finding);
        listed++;
      } else {
        unlisted++;
      }
    };

    const treeHits = await scanTree(ctx, ignored, counts);
    for (const { path, hit } of treeHits) {
      inTree.add(hit.digest);
      if (!ctx.enabled(RULE.tree)) continue;
      add({
        rule: RULE.tree,
        message: `Line ${hit.line} of ${path} holds a secret: ${hit.kind}. (The secret itself is not shown.)`,
        path,
        line: hit.line,
        column: hit.column,
        ...(hit.endLine !== hit.line ? { endLine: hit.endLine } : {}),
        fix: fixFor(hit, true),
      });
    }

    const commits = snapshot.commits?.();
    const additions = commits === undefined ? undefined : snapshot.additions?.();
    let historySecrets = 0;
    if (additions !== undefined && ctx.enabled(RULE.history)) {
      const seen = new Set<string>();
      for (const added of additions) {
        if (ignored(added.path)) continue;
        for (const run of added.runs) {
          ctx.checkpoint();
          if (!mayHoldSecret(run.text)) continue;
          for (const hit of await scanText(run.text, added.path)) {
            // Still in the files: the finding above already asks for it to be revoked and removed.
            if (inTree.has(hit.digest) || seen.has(hit.digest)) continue;
            seen.add(hit.digest);
            historySecrets++;
            const line = run.line + hit.line - 1;
            add({
              rule: RULE.history,
              message: `Commit ${sha7(added.sha)} added a secret to ${added.path} at line ${line}: ${hit.kind}. It is no longer in the files, but the history keeps it for anyone with a copy. (The secret itself is not shown.)`,
              path: added.path,
              line,
              fix: fixFor(hit, false),
            });
          }
        }
      }
    }
    if (unlisted > 0) {
      findings.push({
        rule: treeHits.length > listed ? RULE.tree : RULE.history,
        message: `${unlisted} more secrets were found and not listed one by one; run openly check locally to see them all.`,
        fix: 'Revoke each of them with whoever issued it, then remove them from the files and the history with `git filter-repo --replace-text`.',
      });
    }

    const history =
      commits === undefined
        ? 'no commits under judgement'
        : additions === undefined
          ? 'not read by this source'
          : 'scanned';
    return {
      findings,
      data: {
        files: snapshot.files().length,
        scanned: counts.linted,
        ignored: counts.ignored,
        binary: counts.binary,
        tooLarge: counts.tooLarge,
        unread: counts.unread,
        secretsInFiles: treeHits.length,
        history,
        commits: commits?.length ?? 0,
        secretsInHistory: historySecrets,
      },
    };
  },
};
