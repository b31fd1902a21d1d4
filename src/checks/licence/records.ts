import type { LicenceFile } from '../../licences/files.js';
import type { Identification, LicenceCandidate } from '../../licences/types.js';

/** One licence file and what it was found to hold: an entry of the report's `data.licences`. */
export interface LicenceRecord {
  path: string;
  spdx: string | null;
  confidence: number;
  scope: string | null;
  method: Identification['method'] | 'file-name';
  candidates: LicenceCandidate[];
  also: string[];
  equivalents: string[];
  /** Why the file could not be read, when it could not. */
  unreadable?: string;
}

export interface Entry {
  file: LicenceFile;
  record: LicenceRecord;
  /** Text, when readable; kept for the README and Crown copyright rules. */
  text?: string;
  /** The licences this file grants: its identified id and whatever else it names. */
  grants: string[];
}
