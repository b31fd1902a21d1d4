import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import type { CommunityFilesOptions } from '../config/types.js';

/** The folders GitHub looks in for community health files, in the order it prefers them. */
const PLACES = ['', '.github/', 'docs/'] as const;

interface Kind {
  rule: string;
  /** What people call it, for messages. */
  label: string;
  /** Base names (lower case) that count, with or without an extension. */
  names: readonly string[];
  /** Where GitHub would have it, for the fix. */
  suggested: string;
  why: string;
}

const EXTENSIONS = /\.(md|markdown|mdown|txt|rst|adoc|asciidoc|org|textile|rdoc|html)$/i;

const KINDS: Record<'readme' | 'contributing' | 'security' | 'codeOfConduct' | 'codeowners', Kind> = {
  readme: {
    rule: 'community-files/readme',
    label: 'README',
    names: ['readme'],
    suggested: 'README.md',
    why: 'it tells people what the project is for, its status, how to use it, who to contact and its licence',
  },
  contributing: {
    rule: 'community-files/contributing',
    label: 'contribution guidance (CONTRIBUTING)',
    names: ['contributing'],
    suggested: 'CONTRIBUTING.md',
    why: 'public-sector open source policy asks every public repository to say how others can contribute',
  },
  security: {
    rule: 'community-files/security',
    label: 'security policy (SECURITY)',
    names: ['security'],
    suggested: 'SECURITY.md',
    why: 'people who find a vulnerability need a private way to report it (responsible disclosure)',
  },
  codeOfConduct: {
    rule: 'community-files/code-of-conduct',
    label: 'code of conduct',
    names: ['code_of_conduct', 'code-of-conduct', 'codeofconduct'],
    suggested: 'CODE_OF_CONDUCT.md',
    why: 'it sets out how people are expected to behave when they take part',
  },
  codeowners: {
    rule: 'community-files/codeowners',
    label: 'CODEOWNERS',
    names: ['codeowners'],
    suggested: '.github/CODEOWNERS',
    why: 'it names the people or teams who own the code and must review changes to it',
  },
};

export const communityFilesRules: Record<string, RuleInfo> = {
  'community-files/readme': {
    level: 'error',
    description:
      'A README that is not empty and not just the placeholder GitHub or GitLab writes for a new repository.',
  },
  'community-files/contributing': { level: 'error', description: 'Contribution guidance (CONTRIBUTING.md).' },
  'community-files/security': {
    level: 'error',
    description:
      'A security policy (SECURITY.md) that gives an email address or web address for reporting vulnerabilities.',
  },
  'community-files/code-of-conduct': {
    level: 'warning',
    description: 'A code of conduct (CODE_OF_CONDUCT.md).',
  },
  'community-files/codeowners': {
    level: 'off',
    description: 'A CODEOWNERS file naming an owner for every rule it has.',
  },
};

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return path.slice(slash + 1);
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** Finds a file of this kind where GitHub looks, preferring the root, then `.github/`, then `docs/`. */
export function findCommunityFile(paths: readonly string[], kind: Kind): string | undefined {
  let best: { path: string; rank: number } | undefined;
  for (const path of paths) {
    const folder = folderOf(path);
    const rank = PLACES.indexOf(folder as (typeof PLACES)[number]);
    if (rank < 0) continue;
    const name = baseName(path).toLowerCase().replace(EXTENSIONS, '');
    if (!kind.names.includes(name)) continue;
    // Prefer Markdown over other formats in the same folder, as GitHub does when both exist.
    const score = rank * 2 + (/\.md$/i.test(path) ? 0 : 1);
    if (best === undefined || score < best.rank) best = { path, rank: score };
  }
  return best?.path;
}

/** Text with Markdown/HTML comments, headings' hashes and badges removed: what a reader actually gets. */
function meaningfulWords(text: string): string[] {
  const stripped = text
    .replace(/^\uFEFF/, '')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/[#*_`>|[\]()=-]/g, ' ');
  return stripped.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** Recognisable fragments of the placeholder READMEs that hosting services write into a new repository. */
const PLACEHOLDERS: readonly RegExp[] = [
  /to make it easy for you to get started with gitlab/i,
  /edit a file, create a new file, and clone from bitbucket/i,
  /^\s*(todo|tbc|tbd|coming soon|lorem ipsum)\b/i,
  /lorem ipsum dolor sit amet/i,
];

export type ReadmeProblem = 'empty' | 'placeholder' | undefined;

/** Whether a README says anything: GitHub's "Add a README" writes only `# name` and the description line. */
export function judgeReadme(text: string): ReadmeProblem {
  const words = meaningfulWords(text);
  if (words.length === 0) return 'empty';
  if (PLACEHOLDERS.some((re) => re.test(text))) return 'placeholder';
  const lines = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const onlyHeadingAndBlurb = lines.length <= 2 && /^#\s/.test(lines[0] ?? '') && words.length <= 25;
  return onlyHeadingAndBlurb ? 'placeholder' : undefined;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const URL = /\bhttps?:\/\/[^\s<>()]+/i;

/** Whether a security policy gives people somewhere to report to. */
export function securityContact(text: string): string | undefined {
  return EMAIL.exec(text)?.[0] ?? URL.exec(text)?.[0];
}

interface CodeownersProblem {
  line: number;
  message: string;
}

/** CODEOWNERS lines that name no owner or an owner GitHub cannot understand. */
export function codeownersProblems(text: string): { rules: number; problems: CodeownersProblem[] } {
  const problems: CodeownersProblem[] = [];
  let rules = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    rules++;
    const [pattern, ...owners] = line.split(/\s+/);
    if (owners.length === 0) {
      problems.push({ line: index + 1, message: `The rule for "${pattern}" names no owner.` });
      return;
    }
    for (const owner of owners) {
      if (!/^@[\w.-]+(\/[\w.-]+)?$/.test(owner) && !EMAIL.test(owner)) {
        problems.push({
          line: index + 1,
          message: `"${owner}" is not an owner GitHub understands: use @user, @org/team or an email address.`,
        });
      }
    }
  });
  return { rules, problems };
}

function readText(ctx: CheckContext<CommunityFilesOptions>, path: string, kind: Kind): string | DraftFinding {
  const content = ctx.snapshot.read(path);
  if (content.kind === 'text') return content.text;
  const reason =
    content.kind === 'binary'
      ? 'is not a text file'
      : content.kind === 'too-large'
        ? `is too large to read (${content.size} bytes)`
        : content.kind === 'unavailable'
          ? `could not be read (${content.reason})`
          : 'is missing';
  return {
    rule: kind.rule,
    path,
    message: `${path} ${reason}, so the ${kind.label} cannot be checked.`,
    fix: `Make ${path} a plain-text Markdown file.`,
  };
}

function missing(kind: Kind): DraftFinding {
  return {
    rule: kind.rule,
    message: `No ${kind.label} found in the root, .github/ or docs/ folder. It matters because ${kind.why}.`,
    fix: `Add ${kind.suggested}.`,
  };
}

/** `community-files:` in `.github/openly.yml`: a level only; single files are set with `rules:`. */
const communityFilesOptions: CheckOptionsSpec<CommunityFilesOptions> = {
  schema: {
    title: 'community files check',
    description:
      'Checks for README, CONTRIBUTING, SECURITY and CODEOWNERS files. Give a level (error, warning, off) or a mapping with a level; set single files with rules.',
    oneOf: [
      {
        $ref: '#/$defs/checkLevel',
      },
      {
        title: 'community files check settings',
        description: 'The level of the community files check.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: {
            $ref: '#/$defs/checkLevel',
          },
        },
      },
    ],
  },
  defaults: () => ({}),
};

export const communityFilesCheck: Check<CommunityFilesOptions> = {
  id: 'community-files',
  title: 'Community files',
  rules: communityFilesRules,
  options: communityFilesOptions,

  wants(paths) {
    return Object.values(KINDS)
      .map((kind) => findCommunityFile(paths, kind))
      .filter((p): p is string => p !== undefined);
  },

  run(ctx) {
    const paths = ctx.snapshot.files();
    const findings: DraftFinding[] = [];
    const found: Record<string, string | null> = {};

    for (const [key, kind] of Object.entries(KINDS)) {
      ctx.checkpoint();
      if (!ctx.enabled(kind.rule)) continue;
      const path = findCommunityFile(paths, kind);
      found[key] = path ?? null;
      if (path === undefined) {
        findings.push(missing(kind));
        continue;
      }
      const text = readText(ctx, path, kind);
      if (typeof text !== 'string') {
        findings.push(text);
        continue;
      }
      if (key !== 'readme' && meaningfulWords(text).length === 0) {
        findings.push({
          rule: kind.rule,
          path,
          line: 1,
          message: `${path} is empty.`,
          fix: `Write the ${kind.label} in ${path}.`,
        });
        continue;
      }
      if (key === 'readme') {
        const problem = judgeReadme(text);
        if (problem !== undefined) {
          findings.push({
            rule: kind.rule,
            path,
            line: 1,
            message:
              problem === 'empty'
                ? `${path} is empty.`
                : `${path} is still the placeholder a new repository starts with.`,
            fix: `Say in ${path} what the project is for, its status, how to use it, who to contact and its licence.`,
          });
        }
      } else if (key === 'security') {
        if (securityContact(text) === undefined) {
          findings.push({
            rule: kind.rule,
            path,
            line: 1,
            message: `${path} gives no email address or web address for reporting a vulnerability.`,
            fix: `Add a contact to ${path}, e.g. a security team's email address or a link to your vulnerability disclosure page.`,
          });
        }
      } else if (key === 'codeowners') {
        const { rules, problems } = codeownersProblems(text);
        if (rules === 0) {
          findings.push({
            rule: kind.rule,
            path,
            line: 1,
            message: `${path} has no rules, so no one owns anything.`,
            fix: `Add a line such as "* @your-org/your-team" to ${path}.`,
          });
        }
        for (const problem of problems) {
          findings.push({
            rule: kind.rule,
            path,
            line: problem.line,
            message: problem.message,
            fix: 'Name an owner as @user, @org/team or an email address after the path pattern.',
          });
        }
      }
    }
    return { findings, data: { files: found } };
  },
};
