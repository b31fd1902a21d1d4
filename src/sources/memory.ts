import {
  MAX_TEXT_BYTES,
  type FileContent,
  type GrepResult,
  type RepoSnapshot,
  type RepositoryFacts,
} from './snapshot.js';

/** File contents for an in-memory snapshot: a string is text; a Uint8Array is judged like a file on disk. */
export type MemoryFiles = Record<string, string | Uint8Array>;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Classifies raw bytes as a snapshot would: too large, binary (NUL or invalid UTF-8), or text (BOM kept). */
export function classifyBytes(bytes: Uint8Array): FileContent {
  if (bytes.length > MAX_TEXT_BYTES) return { kind: 'too-large', size: bytes.length };
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { kind: 'binary', size: bytes.length };
  try {
    return { kind: 'text', text: decoder.decode(bytes) };
  } catch {
    return { kind: 'binary', size: bytes.length };
  }
}

/** A snapshot held in memory: what most tests use, and what remote sources fill after fetching. */
export class MemorySnapshot implements RepoSnapshot {
  readonly name: string;
  readonly head: string | null;
  readonly repository?: RepositoryFacts;
  readonly #files: Map<string, string | Uint8Array | undefined>;
  readonly #paths: string[];

  /**
   * @param files path → content; `undefined` content means "in the tree but not fetched" (remote sources).
   */
  constructor(
    files: Record<string, string | Uint8Array | undefined>,
    options: { name?: string; head?: string | null; repository?: RepositoryFacts } = {},
  ) {
    this.name = options.name ?? 'memory';
    this.head = options.head ?? null;
    if (options.repository !== undefined) this.repository = options.repository;
    this.#files = new Map(Object.entries(files));
    this.#paths = [...this.#files.keys()].sort();
  }

  files(): readonly string[] {
    return this.#paths;
  }

  has(path: string): boolean {
    return this.#files.has(path);
  }

  read(path: string): FileContent {
    if (!this.#files.has(path)) return { kind: 'missing' };
    const content = this.#files.get(path);
    if (content === undefined) return { kind: 'unavailable', reason: 'not fetched' };
    if (typeof content === 'string') {
      const size = Buffer.byteLength(content);
      if (size > MAX_TEXT_BYTES) return { kind: 'too-large', size };
      return { kind: 'text', text: content };
    }
    return classifyBytes(content);
  }

  bytes(path: string): Uint8Array | undefined {
    const content = this.#files.get(path);
    if (content === undefined) return undefined;
    return typeof content === 'string' ? Buffer.from(content) : content;
  }

  grep(needle: string, options: { maxLines?: number } = {}): GrepResult {
    const matches: GrepResult['matches'] = [];
    let complete = true;
    for (const path of this.#paths) {
      const content = this.read(path);
      if (content.kind !== 'text') {
        if (content.kind !== 'binary') complete = false;
        continue;
      }
      if (!content.text.includes(needle)) continue;
      const lines = content.text.split(/\r?\n/);
      const limit = Math.min(lines.length, options.maxLines ?? lines.length);
      for (let i = 0; i < limit; i++) {
        const text = lines[i]!;
        if (text.includes(needle)) matches.push({ path, line: i + 1, text });
      }
    }
    return { matches, complete };
  }
}
