import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defuseCommands } from '../core/printable.js';
import { formatProblem } from '../config/load.js';
import { AuditError } from '../org/ask.js';
import { auditOrganisation, OrgConfigError } from '../org/audit.js';
import { createAuditOctokit, type AuditOctokit } from '../org/octokit.js';
import type { AuditReport } from '../org/report.js';
import { AuditStore, StoreError } from '../org/store.js';
import { renderAuditCsv } from '../sinks/audit-csv.js';
import { auditFiles, earlierAudits, type EarlierFile } from '../sinks/audit-files.js';
import { renderAuditJson } from '../sinks/audit-json.js';
import { renderAuditMarkdown } from '../sinks/audit-markdown.js';
import { renderAuditText } from '../sinks/audit-text.js';
import { countRequests } from '../github/request-counter.js';
import { EXIT, parseFlags, say, UsageError, type CliIo } from './io.js';
import { ProgressLine, showsProgress } from './progress-bar.js';

export const AUDIT_FORMATS = ['text', 'json', 'csv', 'markdown'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const AUDIT_HELP = `Usage:
  openly audit --org ORG [options]   judge every repository of the GitHub organisation ORG

Options for audit:
  -o, --org ORG         the organisation (its login, as in github.com/ORG)
  -f, --format FORMAT   text (default), json, csv or markdown
      --out DIR         also write DIR/report.json, DIR/report.csv and the dashboard DIR/index.html
                        (DIR is made when missing; DIR/history.json keeps earlier audits' counts)
      --include-archived  judge archived repositories too (listed as skipped by default)
      --include-forks   judge forks too (listed as skipped by default)
      --token TOKEN     a GitHub token (default: the GITHUB_TOKEN environment variable)
  -h, --help            show this help

Each repository is judged from its default branch by the licence, community-files and visibility checks, with
its .github/openly.yml over the organisation base in ORG/.github. Archived repositories and forks are listed as
skipped unless included.

With --out, DIR/.openly keeps what the next audit needs: run again into the same DIR, it reads again only the
repositories pushed since (the others are judged afresh from the files kept), and an audit that was interrupted
continues where it stopped. A progress bar is drawn on a terminal (not with NO_COLOR or CI set).

The token needs read access to the repositories: a GitHub App installation token "Metadata: read" and
"Contents: read"; a classic token "repo" and "read:org". GitHub Enterprise Server: set GITHUB_API_URL (and
GITHUB_GRAPHQL_URL) as GitHub Actions does.

Exit status: 0 every audited repository complies, 1 some do not, 2 usage, configuration or authentication error.
`;

interface AuditArgs {
  org: string;
  format: AuditFormat;
  out: string | undefined;
  token: string | undefined;
  includeArchived: boolean;
  includeForks: boolean;
}

function parseAuditArgs(args: string[]): AuditArgs | 'help' {
  const parsed = parseFlags(
    'audit',
    args,
    {
      org: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string' },
      token: { type: 'string' },
      'include-archived': { type: 'boolean' },
      'include-forks': { type: 'boolean' },
    },
    false,
  );
  if (parsed === 'help') return 'help';
  const org = parsed.values.org;
  if (org === undefined || org === '')
    throw new UsageError('audit needs --org ORG, the organisation to audit');
  // A GitHub login: letters, digits and single hyphens, up to 39 characters.
  if (!/^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i.test(org)) {
    throw new UsageError(`"${org}" is not a GitHub organisation name (letters, digits and single hyphens)`);
  }
  const format = parsed.values.format ?? 'text';
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format "${format}": use one of ${AUDIT_FORMATS.join(', ')}`);
  }
  return {
    org,
    format: format as AuditFormat,
    out: parsed.values.out,
    token: parsed.values.token,
    includeArchived: parsed.values['include-archived'] === true,
    includeForks: parsed.values['include-forks'] === true,
  };
}

function render(report: AuditReport, format: AuditFormat): string {
  switch (format) {
    case 'json':
      return renderAuditJson(report);
    case 'csv':
      return renderAuditCsv(report);
    case 'markdown':
      // Printed to a CI log as often as to a file: no line may be a workflow command.
      return defuseCommands(renderAuditMarkdown(report));
    case 'text':
      return defuseCommands(renderAuditText(report));
  }
}

export { MAX_HISTORY } from '../sinks/audit-files.js';

/** The earlier file `name` in `folder`, when there is one. */
function earlierFile(folder: string, name: string, warn: (message: string) => void): EarlierFile | undefined {
  const where = join(folder, name);
  if (!existsSync(where)) return undefined;
  try {
    return { where, text: readFileSync(where, 'utf8') };
  } catch (error) {
    warn(`${where} is not readable (${(error as Error).message}): the history starts afresh`);
    return undefined;
  }
}

function writeOut(io: CliIo, dir: string, report: AuditReport): void {
  const folder = resolve(io.cwd, dir);
  mkdirSync(folder, { recursive: true });
  const warn = (message: string) => io.stderr.write(say([message]));
  const history = earlierFile(folder, 'history.json', warn);
  const earlierReport = earlierFile(folder, 'report.json', warn);
  const earlier = earlierAudits(
    report.organisation,
    {
      ...(history === undefined ? {} : { history }),
      ...(earlierReport === undefined ? {} : { report: earlierReport }),
    },
    warn,
  );
  for (const [name, text] of Object.entries(auditFiles(report, earlier)))
    writeFileSync(join(folder, name), text);
}

/** `openly audit`: argv in, the organisation audited, the report out. Resolves to the exit status. */
export async function runAuditCommand(
  argv: string[],
  io: CliIo,
  deps: {
    octokit?: AuditOctokit;
    /** Builds the client when no `octokit` is given: `createAuditOctokit`, or a test's without its spacing. */
    client?: typeof createAuditOctokit;
    sleep?: (ms: number) => Promise<void>;
    now?: () => Date;
    /** Whether standard error is a terminal; by default, what the stream says of itself. */
    isTTY?: boolean;
  } = {},
): Promise<number> {
  let args: AuditArgs | 'help';
  try {
    args = parseAuditArgs(argv);
  } catch (error) {
    io.stderr.write(`${say([(error as Error).message])}Try: openly audit --help\n`);
    return EXIT.usage;
  }
  if (args === 'help') {
    io.stdout.write(AUDIT_HELP);
    return EXIT.ok;
  }
  const token = args.token ?? io.env.GITHUB_TOKEN;
  let octokit = deps.octokit;
  let counted: { count(): number } | undefined;
  if (octokit === undefined) {
    if (token === undefined || token === '') {
      io.stderr.write(say(['audit needs a GitHub token: set GITHUB_TOKEN or give --token']));
      return EXIT.usage;
    }
    const built = (deps.client ?? createAuditOctokit)({
      token,
      ...(io.env.GITHUB_API_URL ? { apiUrl: io.env.GITHUB_API_URL } : {}),
      ...(io.env.GITHUB_GRAPHQL_URL ? { graphqlUrl: io.env.GITHUB_GRAPHQL_URL } : {}),
    });
    counted = countRequests(built);
    octokit = built;
  }
  const warn = (message: string) => {
    bar?.clear();
    io.stderr.write(say([message]));
  };
  const tty = deps.isTTY ?? (io.stderr as { isTTY?: boolean }).isTTY;
  const bar = showsProgress(io.env, tty) ? new ProgressLine(io.stderr) : undefined;
  const store = args.out === undefined ? undefined : new AuditStore(resolve(io.cwd, args.out), warn);
  let report: AuditReport;
  try {
    store?.lock(deps.now?.());
    report = await auditOrganisation({
      octokit,
      org: args.org,
      includeArchived: args.includeArchived,
      includeForks: args.includeForks,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      ...(deps.now === undefined ? {} : { now: deps.now }),
      ...(store === undefined ? {} : { store }),
      onNote: warn,
      onWait: (ms, why) => {
        warn(`${why}: waiting ${Math.ceil(ms / 1000)} s`);
        bar?.wait(ms, why);
      },
      ...(bar === undefined
        ? {}
        : {
            onProgress: (done: number, listed: number, total?: number) => bar.update(done, total ?? listed),
          }),
    });
  } catch (error) {
    bar?.clear();
    if (error instanceof OrgConfigError) {
      io.stderr.write(say(error.problems.map(formatProblem)));
      return EXIT.usage;
    }
    if (error instanceof AuditError) {
      io.stderr.write(say([error.message]));
      if (store !== undefined && store.pages > 0)
        io.stderr.write(say([`run the same command again to continue the audit where it stopped`]));
      return EXIT.usage;
    }
    if (error instanceof StoreError) {
      io.stderr.write(say([`the audit's progress cannot be kept in ${args.out}: ${error.message}`]));
      return EXIT.usage;
    }
    throw error;
  } finally {
    store?.unlock();
  }
  bar?.clear();
  if (args.out !== undefined) {
    try {
      writeOut(io, args.out, report);
    } catch (error) {
      io.stderr.write(say([`cannot write the report to ${args.out}: ${(error as Error).message}`]));
      return EXIT.usage;
    }
  }
  io.stdout.write(render(report, args.format));
  if (args.format === 'text' && counted !== undefined) {
    io.stderr.write(
      say([`${counted.count()} requests to GitHub for ${report.summary.repositories} repositories`]),
    );
  }
  return report.summary.failing > 0 ? EXIT.findings : EXIT.ok;
}
