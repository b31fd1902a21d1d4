import { canonicalId, isKnownId, sameLicence } from '../../licences/expression.js';
import { findLicenceFiles, LicenceScopes, scopeGlob, type LicenceFile } from '../../licences/files.js';
import { identifyLicence } from '../../licences/identify.js';
import type { Identification } from '../../licences/types.js';
import type { RepoSnapshot } from '../../sources/snapshot.js';
import type { Entry, LicenceRecord } from './records.js';
import { R } from './rules.js';
import type { LicenceRun } from './state.js';
import { describeCandidates, list, MAX_EXAMPLES, nameOf } from './words.js';

function round(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** Identification of untrusted text; a failure there makes the file unknown rather than sinking the whole check. */
function identifySafely(text: string): Identification {
  try {
    return identifyLicence(text);
  } catch {
    return { spdx: null, confidence: 0, method: 'none', equivalents: [], candidates: [], also: [] };
  }
}

/**
 * Whether what a file holds makes it a licence file, given how sure its name is: a usual name always is one; a
 * qualified name (`MIT-LICENSE.md`) when its text is or names a licence; any other name holding the word only with
 * a licence's full text, so that a page about licensing (`docs/code-licence-and-copyright.md`), which names
 * licences without granting them, is not taken for a licence of its folder.
 */
function counts(file: LicenceFile, found: Identification | undefined): boolean {
  if (file.naming === 'strict') return true;
  if (found === undefined || found.spdx === null) return false;
  return file.naming === 'named' || found.method === 'full-text';
}

/**
 * Reads every licence file, identifies it, and builds its report entry. Files whose names only suggest a licence
 * and whose text is none are left out; the texts of those at the root are returned for the Crown copyright rule
 * (a `COPYRIGHT` file holding the notice alone).
 */
function identifyFiles(
  snapshot: RepoSnapshot,
  files: readonly LicenceFile[],
): { entries: Entry[]; rootNotices: { path: string; text: string }[] } {
  // A monorepo repeats the same licence file in package after package: each distinct text is identified once.
  const known = new Map<string, Identification>();
  const rootNotices: { path: string; text: string }[] = [];
  const entries = files.map((file): Entry | undefined => {
    const scope = scopeGlob(file.dir);
    const content = snapshot.read(file.path);
    if (content.kind !== 'text' && file.naming !== 'strict') return undefined;
    if (content.kind !== 'text') {
      const why =
        content.kind === 'binary'
          ? 'it is a binary file'
          : content.kind === 'too-large'
            ? `it is too large to read (${content.size} bytes)`
            : content.kind === 'missing'
              ? 'it is missing from the snapshot'
              : `its content is unavailable (${content.reason})`;
      return {
        file,
        grants: [],
        record: {
          path: file.path,
          spdx: null,
          confidence: 0,
          scope,
          method: 'none',
          candidates: [],
          also: [],
          equivalents: [],
          unreadable: why,
        },
      };
    }
    let found = known.get(content.text);
    if (found === undefined) {
      found = identifySafely(content.text);
      known.set(content.text, found);
    }
    if (!counts(file, found)) {
      if (file.dir === '') rootNotices.push({ path: file.path, text: content.text });
      return undefined;
    }
    let spdx = found.spdx;
    let method: LicenceRecord['method'] = found.method;
    const confidence = found.confidence;
    // REUSE names each text after its id; when the text itself is not recognised (a LicenseRef, a trimmed copy),
    // the name is still the project's own declaration. The confidence stays the text's, which is low.
    if (spdx === null && file.reuseId !== undefined && isKnownId(file.reuseId)) {
      spdx = file.reuseId;
      method = 'file-name';
    }
    const grants = spdx === null ? [...found.also] : [spdx, ...found.also.filter((id) => id !== spdx)];
    return {
      file,
      text: content.text,
      grants: grants.map((id) => canonicalId(id)),
      record: {
        path: file.path,
        spdx,
        confidence: round(confidence),
        scope,
        method,
        candidates: found.candidates.map((c) => ({ spdx: c.spdx, score: round(c.score) })),
        // Copies: records of files with the same text must not share arrays.
        also: [...found.also],
        equivalents: [...found.equivalents],
      },
    };
  });
  return { entries: entries.filter((e) => e !== undefined), rootNotices };
}

/** Finds and identifies the repository's licence files, and what folders each covers, for the jobs after it. */
export function identify(run: LicenceRun): void {
  const identified = identifyFiles(run.ctx.snapshot, findLicenceFiles(run.paths));
  run.entries = identified.entries;
  run.rootNotices = identified.rootNotices;
  run.scopes = new LicenceScopes(run.entries.map((entry) => ({ ...entry.file, entry })));
}

/** Missing, unreadable, unknown and not-allowed licence files. */
export function checkFiles(run: LicenceRun): void {
  const atRoot = run.entries.filter((e) => e.file.dir === '');
  if (atRoot.length === 0 && run.enabled(R.missing)) {
    const elsewhere = run.entries.filter((e) => e.file.dir !== null).map((e) => e.file.path);
    const reuseTexts = run.entries.some((e) => e.file.dir === null && e.file.path.startsWith('LICENSES/'));
    const unlike = run.rootNotices.map((n) => n.path);
    const why =
      elsewhere.length > 0
        ? ` (${list(elsewhere.slice(0, MAX_EXAMPLES))} only cover${elsewhere.length === 1 ? 's its own folder' : ' their own folders'})`
        : unlike.length > 0
          ? ` (${list(unlike.slice(0, MAX_EXAMPLES))} ${unlike.length === 1 ? 'is' : 'are'} named like a licence file, but no licence could be identified in ${unlike.length === 1 ? 'it' : 'them'})`
          : reuseTexts
            ? ' (LICENSES/ holds REUSE licence texts, but people and GitHub look for a licence file at the top level)'
            : '';
    run.findings.push({
      rule: R.missing,
      message: `There is no licence file at the top level of the repository, so nobody can tell on what terms they may reuse it${why}.`,
      fix: 'Add a LICENCE file at the root with the full text of your licence (e.g. MIT for code, OGL-UK-3.0 for documentation); GDS prefers the British spelling LICENCE, but LICENSE is accepted too.',
    });
  }
  for (const entry of run.entries) {
    const { record } = entry;
    if (record.unreadable !== undefined) {
      run.findings.push({
        rule: R.unreadable,
        path: record.path,
        message: `${record.path} looks like a licence file, but ${record.unreadable}, so the licence it holds could not be checked.`,
        fix: `Make ${record.path} a plain-text (UTF-8) copy of the licence text.`,
      });
      continue;
    }
    if (record.spdx === null) {
      if (run.enabled(R.unknown)) {
        run.findings.push({
          rule: R.unknown,
          path: record.path,
          line: 1,
          message: `The licence in ${record.path} was not recognised: ${describeCandidates(record.candidates)}.`,
          fix: `Replace ${record.path} with the unmodified text of an SPDX-listed licence (for example from spdx.org/licenses), keeping your copyright line.`,
        });
      }
    } else if (entry.file.reuseId !== undefined && record.method !== 'file-name') {
      const named = canonicalId(entry.file.reuseId);
      if (run.enabled(R.header) && !entry.grants.some((id) => sameLicence(id, named))) {
        run.findings.push({
          rule: R.header,
          path: record.path,
          message: `${record.path} is named after ${named}, but it holds the text of ${nameOf(record.spdx)}.`,
          fix: `Rename the file to LICENSES/${record.spdx}.txt, or put the ${named} text in it.`,
        });
      }
    }
    if (run.enabled(R.notAllowed)) {
      for (const id of entry.grants) {
        if (run.isAllowed(id, id === record.spdx ? record.equivalents : [])) continue;
        run.findings.push({
          rule: R.notAllowed,
          path: record.path,
          line: 1,
          message: `${record.path} licenses ${entry.file.dir === null ? 'files' : `${scopeGlob(entry.file.dir)}`} under ${nameOf(id)}, which the licence policy does not allow (allowed: ${run.allowedText}).`,
          fix: `Relicense under one of ${run.allowedText} and replace ${record.path} with that text, or ask for ${id} to be added to \`licence.allowed\` in the organisation's openly.yml.`,
        });
      }
    }
  }
}
