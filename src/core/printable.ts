/**
 * Text from a repository (file names, messages quoting a file, configuration keys and values) on its way to a
 * terminal, a CI log, a browser or a JSON file. Every door prints it through these functions, so that a name can
 * neither act on the reader's screen nor pass for something it is not, and a CI runner never takes it for a command.
 */

/**
 * What a terminal, a log viewer or a browser would act on or hide rather than show: C0 controls (escape sequences
 * start with ESC), DEL, C1 controls (U+009B is a one-character CSI), the bidirectional marks, embeddings,
 * overrides and isolates that make text read in another order than it is stored, the Unicode line and paragraph
 * separators, the byte-order mark, and lone surrogates, which no encoder can write.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The same set, less the C0 controls that JSON.stringify already writes as escapes. */
const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(char: string, width: number): string {
  return char.charCodeAt(0).toString(16).padStart(width, '0');
}

/** `\n`, `\x1b`, `\u202e`: how one unprintable character is shown. */
function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`;
}

/** Whether the text holds anything {@link printable} would change. */
export function needsEscaping(text: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(text);
  UNPRINTABLE.lastIndex = 0;
  return found;
}

/**
 * The text with every unprintable character shown as an escape (`\n`, `\x1b`, `\u202e`), so that it prints on one
 * line exactly as many characters as it holds. For names and other values that have no line structure.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, visible);
}

/**
 * As {@link printable}, but a line break (LF, CRLF, or a lone CR) stays a line break: for messages that are
 * meant to span lines. `names` (file paths the message may quote) are shown as {@link printable} shows them
 * wherever they occur, so that a newline in a file name reads as `\n` instead of breaking the message.
 */
export function printableLines(text: string, names: readonly (string | undefined)[] = []): string {
  const hostile = names.filter(
    (name): name is string => name !== undefined && name !== '' && needsEscaping(name),
  );
  if (hostile.length === 0)
    return text
      .split(/\r\n?|\n/)
      .map(printable)
      .join('\n');
  // The longest first, so that a name inside another name cannot split it.
  const [name, ...rest] = hostile.sort((a, b) => b.length - a.length);
  return text
    .split(name as string)
    .map((part) => printableLines(part, rest))
    .join(printable(name as string));
}

/**
 * Whitespace the GitHub Actions runner trims from the start of a line before it looks for `::` (.NET's
 * `TrimStart`, which also trims NEL, U+0085, unlike JavaScript's `\s`).
 */
const LEADING_COMMAND = /^([\s\u0085]*):(?=:)/gm;

/**
 * Text that no CI runner can take for a workflow command, line by line. The GitHub Actions runner reads each line
 * of a step's output (split at CR, LF or CRLF) as a command when, after leading whitespace, it starts with `::`
 * (`ActionCommand.TryParseV2`), or when it holds `##[` anywhere (the older `ActionCommand.TryParse`). The first
 * `:` of such a start is shown as `\x3a`, and the `[` of every `##[` as `\x5b`; text without either is unchanged.
 */
export function defuseCommands(text: string): string {
  return text.replace(LEADING_COMMAND, '$1\\x3a').replace(/##\[/g, '##\\x5b');
}

/**
 * JSON text (from JSON.stringify) with the characters it leaves raw that a terminal or viewer would still act on
 * (DEL, C1 controls, bidirectional controls, U+2028/U+2029) written as `\uXXXX` escapes, and every `##[` as
 * `##\u005b`, so that a CI log printing the file obeys nothing in it. The file parses to the same value: these
 * characters can only occur inside JSON strings, where an escape means the character itself.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNPRINTABLE_IN_JSON, (char) => `\\u${hex(char, 4)}`).replace(/##\[/g, '##\\u005b');
}

/** The longest stretch of an untrusted value that a message quotes. */
export const EXCERPT_LENGTH = 200;

/**
 * An untrusted value cut to at most `max` characters for quoting in a message, with `…` and the full length when
 * cut, without splitting a surrogate pair. A 300 kB licence expression is not worth repeating in every finding.
 */
export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… (${text.length.toLocaleString('en-GB')} characters)`;
}
