import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { configOptions } from '../checks/index.js';
import { fetchConfigLink } from '../sources/github.js';
import { OrgConfigError } from '../org/audit.js';
import type { AskOptions } from '../org/ask.js';
import { orgBaseText, type ConfigText } from '../org/config.js';
import type { AuditOctokit } from '../org/octokit.js';
import { judgeRepositories, readRepositories } from '../org/one.js';
import { summariseAudit, type AuditedRepository, type AuditReport } from '../org/report.js';
import { inProcessRunner, type AuditRunner } from '../org/runner.js';
import { ALONE, whileHolding, type Claims } from '../org/claims.js';
import { auditSettingsOf, SCHEDULE_MS, type AuditSettings } from '../org/settings.js';
import { auditFiles, earlierAudits, type EarlierFile } from '../sinks/audit-files.js';
import { issueFailure, syncRepositoryIssue, syncTrackingIssue } from '../sinks/tracking-issue-writer.js';

/** What the audit logs through: Probot's logger, or any with pino's shape. */
export interface AuditLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface AppAuditsOptions {
  /** Runs a whole organisation's audit: in-process by default, a queue when the lead wires one in. */
  runner?: AuditRunner;
  now?: () => Date;
  /** Where each organisation's report and dashboard are written (`OPENLY_AUDIT_DIR`); nothing is written without it. */
  auditDir?: string;
  /** `https://github.com`, or a GitHub Enterprise Server's address, for links in the issues. */
  serverUrl?: string;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Shared with the App's other replicas (Redis, with `REDIS_URL`): one replica runs each scheduled audit and
   * writes an organisation's tracking issue at a time. A single process needs none.
   */
  claims?: Claims;
}

export interface Installation {
  id: number;
  org: string;
}

/** Changes the App saw besides the repositories it judges again. */
export interface Changes {
  /** Repositories just made private: the tracking issue lists them at once. */
  madePrivate?: string[];
  /** Repositories deleted, renamed away or removed from the installation: left out of the report. */
  removed?: string[];
}

/** An organisation login, safe as a folder name. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

function byName(a: AuditedRepository, b: AuditedRepository): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The App's organisation audits, with what this process remembers between events: the last report of each
 * organisation (also kept in `OPENLY_AUDIT_DIR` when set, so that a restart does not forget it) and when each
 * installation was last audited, for the schedule. Work for one organisation runs one piece at a time, so that two
 * events never race to make two tracking issues.
 */
export class AppAudits {
  readonly runner: AuditRunner;
  readonly now: () => Date;
  private readonly claims: Claims;
  private readonly reports = new Map<string, AuditReport>();
  private readonly audited = new Map<number, { at: number; every: number }>();
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(readonly options: AppAuditsOptions = {}) {
    this.runner =
      options.runner ?? inProcessRunner(options.sleep === undefined ? {} : { sleep: options.sleep });
    this.now = options.now ?? (() => new Date());
    this.claims = options.claims ?? ALONE;
  }

  /** Whether the schedule should audit this installation now. */
  due(installationId: number, now: Date): boolean {
    const last = this.audited.get(installationId);
    return last === undefined || now.getTime() - last.at >= last.every;
  }

  /**
   * Runs one organisation's work after the work before it, and never throws: a failure is logged with the
   * organisation, as a webhook handler has nobody else to tell.
   */
  private serial(org: string, log: AuditLog, work: () => Promise<void>): Promise<void> {
    const key = org.toLowerCase();
    const before = this.running.get(key) ?? Promise.resolve();
    const guarded = () =>
      work().catch((error: unknown) => {
        const problems = error instanceof OrgConfigError ? { problems: error.problems } : {};
        log.error({ org, ...problems }, `Openly could not audit ${org}: ${(error as Error).message}`);
      });
    const next = before.then(guarded, guarded);
    this.running.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }

  private ask(octokit: AuditOctokit): AskOptions {
    return {
      octokit,
      now: this.now,
      sleep: this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  /** The organisation's settings from its base file, or undefined (logged) when the base is unusable. */
  private settingsOf(org: string, base: ConfigText | { message: string } | undefined, log: AuditLog) {
    if (base !== undefined && !('text' in base)) {
      log.error(
        { org, problems: [base.message] },
        'Openly cannot audit the organisation: its base configuration is unusable',
      );
      return undefined;
    }
    const outcome = auditSettingsOf(base, configOptions().knownRules);
    if ('problems' in outcome) {
      log.error(
        { org, problems: outcome.problems },
        `Openly cannot audit ${org}: fix the organisation base configuration first`,
      );
      return undefined;
    }
    return outcome.settings;
  }

  /** One request: the organisation base, for the settings that decide whether and how to audit. */
  private async readSettings(octokit: AuditOctokit, org: string, log: AuditLog) {
    const answer = await fetchConfigLink(octokit, { owner: org, repo: '.github' });
    const base =
      answer.kind === 'found'
        ? answer.config
        : answer.kind === 'not-text'
          ? { message: `${answer.source} is not UTF-8 text; save it as UTF-8 YAML` }
          : undefined;
    return this.settingsOf(org, base, log);
  }

  private lastReport(org: string, log: AuditLog): AuditReport | undefined {
    const known = this.reports.get(org.toLowerCase());
    if (known !== undefined) return known;
    const file = this.folder(org) === undefined ? undefined : join(this.folder(org)!, 'report.json');
    if (file === undefined) return undefined;
    try {
      const report = JSON.parse(readFileSync(file, 'utf8')) as AuditReport;
      if (report.organisation !== org || !Array.isArray(report.repositories)) return undefined;
      return report;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn(
          { org, file },
          `the earlier audit report is unreadable (${(error as Error).message}); auditing afresh`,
        );
      }
      return undefined;
    }
  }

  private folder(org: string): string | undefined {
    const dir = this.options.auditDir;
    return dir === undefined || dir === '' || !LOGIN.test(org) ? undefined : join(dir, org);
  }

  private writeFiles(report: AuditReport, log: AuditLog): void {
    const folder = this.folder(report.organisation);
    if (folder === undefined) return;
    const earlier = (name: string): EarlierFile | undefined => {
      try {
        return { where: join(folder, name), text: readFileSync(join(folder, name), 'utf8') };
      } catch {
        return undefined;
      }
    };
    try {
      const history = earlier('history.json');
      const previous = earlier('report.json');
      const past = earlierAudits(
        report.organisation,
        {
          ...(history === undefined ? {} : { history }),
          ...(previous === undefined ? {} : { report: previous }),
        },
        (message) => log.warn({ org: report.organisation }, message),
      );
      mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(auditFiles(report, past)))
        writeFileSync(join(folder, name), text);
    } catch (error) {
      log.error(
        { org: report.organisation, folder },
        `Openly could not write the audit files: ${(error as Error).message}`,
      );
    }
  }

  /** The report goes where the organisation asked: files and a log line, and with `issue`, its issues. */
  private async tell(
    octokit: AuditOctokit,
    report: AuditReport,
    settings: AuditSettings,
    log: AuditLog,
    judged: readonly AuditedRepository[],
    changes: Changes,
  ): Promise<void> {
    const org = report.organisation;
    this.reports.set(org.toLowerCase(), report);
    this.writeFiles(report, log);
    const { summary } = report;
    log.info(
      { org, ...summary, enforcement: settings.enforcement },
      `Openly audit of ${org}: ${summary.repositories} repositories, ${summary.failing} fall short, ${summary.compliant} comply, ${summary.skipped} not judged`,
    );
    if (settings.enforcement !== 'issue') return;
    // Another replica writing this organisation's issues at the same moment could create a second tracking issue.
    await whileHolding(
      this.claims,
      `issues:${org.toLowerCase()}`,
      {
        holdMs: 10 * 60_000,
        waitMs: 2 * 60_000,
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      },
      () => this.writeIssues(octokit, report, settings, log, judged, changes),
    );
  }

  private async writeIssues(
    octokit: AuditOctokit,
    report: AuditReport,
    settings: AuditSettings,
    log: AuditLog,
    judged: readonly AuditedRepository[],
    changes: Changes,
  ): Promise<void> {
    const org = report.organisation;
    const render = {
      ...(settings.dashboard === undefined ? {} : { dashboard: settings.dashboard }),
      ...(this.options.serverUrl === undefined ? {} : { serverUrl: this.options.serverUrl }),
    };
    const now = this.now();
    try {
      const outcome = await syncTrackingIssue({
        octokit,
        owner: org,
        repo: settings.repository,
        report,
        now,
        digest: settings.digest,
        madePrivate: changes.madePrivate ?? [],
        ...render,
      });
      log.info(
        { org, repository: settings.repository, ...outcome },
        `Openly tracking issue: ${outcome.action}`,
      );
    } catch (error) {
      log.error({ org, repository: settings.repository }, issueFailure(error, org, settings.repository));
    }
    if (!settings.perRepositoryIssues) return;
    for (const repository of judged) {
      if (repository.status === 'skipped') continue;
      try {
        const outcome = await syncRepositoryIssue({ octokit, org, repository, now, ...render });
        if (outcome.action !== 'unchanged' && outcome.action !== 'none') {
          log.info(
            { org, repository: repository.name, ...outcome },
            `Openly repository issue: ${outcome.action}`,
          );
        }
      } catch (error) {
        log.error({ org, repository: repository.name }, issueFailure(error, org, repository.name));
      }
    }
  }

  /**
   * Forgets an organisation that uninstalled the App: its last report, its schedule and its audit files. Run after
   * any audit of it still under way, so that the audit cannot write its files back afterwards.
   */
  forgetInstallation(installation: Installation, log: AuditLog): Promise<void> {
    const { org } = installation;
    return this.serial(org, log, async () => {
      this.reports.delete(org.toLowerCase());
      this.audited.delete(installation.id);
      const folder = this.folder(org);
      if (folder !== undefined) await rm(folder, { recursive: true, force: true });
      log.info({ org }, `Openly was uninstalled from ${org}: its audit report and files are deleted`);
    });
  }

  /** Audits every repository of an installation's organisation, as its base configuration asks. */
  auditInstallation(
    octokit: AuditOctokit,
    installation: Installation,
    log: AuditLog,
    how: { scheduled?: boolean } = {},
  ): Promise<void> {
    const { org } = installation;
    return this.serial(org, log, async () => {
      const settings = await this.readSettings(octokit, org, log);
      if (settings === undefined) return;
      const every = SCHEDULE_MS[settings.schedule];
      this.audited.set(installation.id, { at: this.now().getTime(), every });
      // Every replica's schedule comes round; the first to claim the period audits, the others leave it. The claim
      // lapses half a tick before the next period, so that the same replica's next tick finds it free.
      if (how.scheduled === true && Number.isFinite(every)) {
        const claimed = await this.claims
          .claim(`schedule:${installation.id}`, Math.max(every - SCHEDULE_TICK_MS / 2, 1))
          .catch(() => true);
        if (!claimed) {
          log.info({ org }, `another replica of the App has the scheduled audit of ${org}`);
          return;
        }
      }
      if (settings.enforcement === 'off') {
        log.info(
          { org },
          `Openly does not audit ${org}: its base configuration says audit: { enforcement: off }`,
        );
        return;
      }
      await this.fullAudit(octokit, installation, settings, log, {});
    });
  }

  private async fullAudit(
    octokit: AuditOctokit,
    installation: Installation,
    settings: AuditSettings,
    log: AuditLog,
    changes: Changes,
  ): Promise<void> {
    let report: AuditReport;
    try {
      report = await this.runner({ org: installation.org, installationId: installation.id }, octokit);
    } catch (error) {
      const problems = error instanceof OrgConfigError ? { problems: error.problems } : {};
      log.error(
        { org: installation.org, ...problems },
        `Openly could not audit ${installation.org}: ${(error as Error).message}`,
      );
      return;
    }
    await this.tell(octokit, report, settings, log, report.repositories, changes);
  }

  /**
   * Judges a few repositories again (a repository event, repositories added) and puts them in the organisation's
   * last report; without one in memory or on disk, the whole organisation is audited instead, since a tracking
   * issue written from a part would close while other repositories still fall short.
   */
  auditRepositories(
    octokit: AuditOctokit,
    installation: Installation,
    names: readonly string[],
    log: AuditLog,
    changes: Changes = {},
  ): Promise<void> {
    const { org } = installation;
    return this.serial(org, log, async () => {
      const ask = this.ask(octokit);
      const read = names.length === 0 ? undefined : await readRepositories(ask, org, names);
      const settings =
        read === undefined
          ? await this.readSettings(octokit, org, log)
          : this.settingsOf(org, orgBaseText(org, read.page.orgBase), log);
      if (settings === undefined || settings.enforcement === 'off') return;
      const previous = this.lastReport(org, log);
      if (previous === undefined) {
        log.info({ org }, `Openly has no earlier audit of ${org} to update: auditing every repository`);
        this.audited.set(installation.id, {
          at: this.now().getTime(),
          every: SCHEDULE_MS[settings.schedule],
        });
        await this.fullAudit(octokit, installation, settings, log, changes);
        return;
      }
      let judged: AuditedRepository[] = [];
      if (read !== undefined) {
        try {
          judged = await judgeRepositories({ ask, org, now: this.now }, read);
        } catch (error) {
          const problems = error instanceof OrgConfigError ? { problems: error.problems } : {};
          log.error(
            { org, ...problems },
            `Openly could not judge ${names.join(', ')}: ${(error as Error).message}`,
          );
          return;
        }
      }
      const drop = new Set(
        [...(changes.removed ?? []), ...(read?.gone ?? []), ...judged.map((r) => r.name)].map((n) =>
          n.toLowerCase(),
        ),
      );
      const repositories = [
        ...previous.repositories.filter((r) => !drop.has(r.name.toLowerCase())),
        ...judged,
      ].sort(byName);
      // The audit's moment stays the last whole audit's: the report is that audit with these repositories brought
      // up to date, and the dashboard's history counts whole audits.
      const report: AuditReport = { ...previous, summary: summariseAudit(repositories), repositories };
      await this.tell(octokit, report, settings, log, judged, changes);
    });
  }
}

/** How often the schedule looks for installations due an audit; each organisation's own interval decides. */
export const SCHEDULE_TICK_MS = 60 * 60 * 1000;

/**
 * One tick of the schedule: every organisation installation whose last audit in this process is older than its
 * schedule (daily by default) is audited, one after another. Exported so that tests drive it with their own clock.
 */
export async function runScheduledAudits(app: Probot, audits: AppAudits, now: Date): Promise<void> {
  const appOctokit = await app.auth();
  const installations: Installation[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data } = await appOctokit.request('GET /app/installations', { per_page: 100, page });
    for (const installation of data) {
      const account = installation.account as { login?: string; type?: string } | null;
      // A suspended installation's token is refused: the organisation has paused the App, so it is not audited.
      const suspended = installation.suspended_at !== null && installation.suspended_at !== undefined;
      if (account?.login !== undefined && account.type === 'Organization' && !suspended) {
        installations.push({ id: installation.id, org: account.login });
      }
    }
    if (data.length < 100) break;
  }
  for (const installation of installations) {
    if (!audits.due(installation.id, now)) continue;
    try {
      const octokit: AuditOctokit = await app.auth(installation.id);
      await audits.auditInstallation(octokit, installation, app.log, { scheduled: true });
    } catch (error) {
      app.log.error(
        { org: installation.org },
        `Openly's scheduled audit of ${installation.org} failed: ${(error as Error).message}`,
      );
    }
  }
}

/** The in-process schedule, for the App started for real: an unref'd timer, so that it never keeps a process alive. */
export function startSchedule(app: Probot, audits: AppAudits, everyMs = SCHEDULE_TICK_MS): () => void {
  const timer = setInterval(() => {
    runScheduledAudits(app, audits, audits.now()).catch((error: unknown) =>
      app.log.error(`Openly's audit schedule failed: ${(error as Error).message}`),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
