/**
 * The words of the first-files pull request: written for a team that may never have reviewed one, so it says what
 * each file is, which rule asks for it, and what to check before merging.
 */
import { ruleDocsUrl } from '../core/links.js';
import type { InitNote, PlannedFile } from '../init/plan.js';

export const FIRST_FILES_TITLE = 'Add the licence and community files this repository is missing';

/** What the pull request was made from: kept in its body, out of sight, so that a later push can tell. */
export interface FirstFilesMarker {
  /** A digest of the planned files (paths and texts). */
  plan: string;
  /** The commit Openly made: when the branch's head is another, a person has pushed to it. */
  commit: string;
}

const MARKER = /<!-- openly:first-files plan=([0-9a-f]+) commit=([0-9a-f]{40}) -->/;

export function readMarker(body: string | null | undefined): FirstFilesMarker | undefined {
  const match = MARKER.exec(body ?? '');
  return match === null ? undefined : { plan: match[1]!, commit: match[2]! };
}

/**
 * Left in the description when Openly closes its own pull request because nothing is missing any more, so that a
 * later push does not take the closing for the team's "no".
 */
const CLOSED_NOTE = '<!-- openly:first-files closed=complete -->';

export function closedByOpenly(body: string | null | undefined): boolean {
  return (body ?? '').includes(CLOSED_NOTE);
}

/** The description once Openly has closed the pull request: the same words, and the note. */
export function closedBody(body: string | null | undefined): string {
  const text = body ?? '';
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${CLOSED_NOTE}\n`;
}

/** Why Openly closed its own pull request, said on the pull request. */
export function closingComment(defaultBranch: string, branch: string): string {
  return [
    `Openly has closed this pull request because nothing is missing any more: \`${defaultBranch}\` now has every file the checks ask for.`,
    '',
    `The branch \`${branch}\` is left as it was; delete it when you no longer need it. If a file goes missing again, Openly opens a new pull request.`,
  ].join('\n');
}

export interface BodyInput {
  files: readonly PlannedFile[];
  notes: readonly InitNote[];
  branch: string;
  defaultBranch: string;
  organisation: { name: string; from: string };
  securityContact?: { contact: string; from: string };
  marker: FirstFilesMarker;
}

function ruleLink(rule: string): string {
  return rule === 'config' ? 'so that Openly knows your settings' : `[${rule}](${ruleDocsUrl(rule)})`;
}

/** Table cells hold no line breaks or pipes. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function firstFilesBody(input: BodyInput): string {
  const { files, branch, defaultBranch } = input;
  const lines = [
    `Openly checks every repository of your organisation against its open-working policy. This repository is missing ${files.length === 1 ? 'a file' : 'some files'} that the policy asks every repository to have, so Openly has written ${files.length === 1 ? 'it' : 'them'} for you on the branch \`${branch}\`.`,
    '',
    `Nothing changes on \`${defaultBranch}\` until someone merges this pull request. Merging it is how you accept the files.`,
    '',
    '## What this adds',
    '',
    '| File | What it is | Asked for by |',
    '| --- | --- | --- |',
    ...files.map((f) => `| \`${f.path}\` | ${cell(f.what)} | ${ruleLink(f.rule)} |`),
    '',
    '## Before you merge',
    '',
    `- **Check the organisation name.** The files name **${cell(input.organisation.name)}** (taken from ${input.organisation.from}). If that is not who holds the copyright, change it in the files, or set \`fix: { mode: pull-request, organisation: "..." }\` in \`.github/openly.yml\`.`,
  ];
  if (input.securityContact !== undefined && files.some((f) => f.path === 'SECURITY.md')) {
    lines.push(
      `- **Check the security contact.** \`SECURITY.md\` tells people to report vulnerabilities to **${cell(input.securityContact.contact)}** (taken from ${input.securityContact.from}). Make sure someone reads it.`,
    );
  }
  lines.push(
    '- **Read each file** in the *Files changed* tab. To change one, open it there, choose *Edit file* from the `...` menu, and commit to this branch. Once you have, Openly leaves this pull request to you and no longer updates it.',
    `- When you are happy, choose **Merge pull request**. Openly's check on \`${defaultBranch}\` should then pass on these rules.`,
  );
  if (input.notes.length > 0) {
    lines.push('', '## Left for you', '', ...input.notes.map((n) => `- ${cell(n.message)}`));
  }
  lines.push(
    '',
    '## If you do not want this',
    '',
    'Close the pull request without merging: Openly takes that as your answer and will not open another. To ask for it again later, reopen this pull request (restore its branch first if it was deleted), or add the files yourself with `openly init`.',
    '',
    `<!-- openly:first-files plan=${input.marker.plan} commit=${input.marker.commit} -->`,
  );
  return `${lines.join('\n')}\n`;
}
