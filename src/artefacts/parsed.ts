import type { Locator } from '../parse/yaml.js';

// What every artefact reader gives back, apart from the readers: parse.ts dispatches to the table reader, which
// returns these too, and their types living in parse.ts made the two files a cycle.

/** Something that stopped a file or one of its documents being read, at a place in the whole file. */
export interface ReadProblem {
  line: number;
  column: number;
  message: string;
}

/** One unit that is validated against the schema: a front matter block, a YAML document, a JSON file, a table row. */
export interface ArtefactDocument {
  value: unknown;
  locator: Locator;
  /** What to call this document in messages when a file holds several ("document 2", "the row on line 14"). */
  label?: string;
}

export interface ParsedArtefact {
  documents: ArtefactDocument[];
  problems: ReadProblem[];
  /** Markdown only: whether the file opens with front matter, and its body for the section rule. */
  frontMatter?: boolean;
  body?: string;
  bodyLine?: number;
}
