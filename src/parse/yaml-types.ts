/** What both YAML readers (the full one in yaml.ts, the fast one in fast-yaml.ts) answer with. */

/** A place in a text file. Both numbers are 1-based, as editors show them. */
export interface Position {
  line: number;
  column: number;
}

/** Where a JSON pointer lands in the source. */
export interface Location extends Position {
  endLine: number;
  endColumn: number;
  /** False when the pointer does not exist and the location is that of its nearest existing parent. */
  exact: boolean;
}

export interface YamlProblem extends Position {
  /** Plain words for a person who may never have read the YAML specification. */
  message: string;
  /** `yaml`'s error code, or one of ours (`DUPLICATE_KEY`, `TOO_DEEP`, `ALIAS_LIMIT`, `TOO_LARGE`). */
  code: string;
  /** A warning (such as an unknown tag) still yields a value; an error may not. */
  severity: 'error' | 'warning';
}

/** Anything that can turn a JSON pointer into a source position; `explain` needs only this. */
export interface Locator {
  /** Position of the value at `pointer`, or of its nearest existing parent. */
  locate(pointer: string): Location;
  /** Position of the key naming the value at `pointer` (for "unknown key" messages); the item for a list index. */
  locateKey(pointer: string): Location;
}

/** The data of a YAML document and where each of its values sits, without the syntax tree. */
export interface YamlData extends Locator {
  /** The data, as plain JSON-like values; `null` for an empty document or when it could not be built safely. */
  value: unknown;
  problems: YamlProblem[];
  /** True when the text was refused unread (too large, nested too deeply): `problems` says why. */
  readonly refused: boolean;
}
