/** Small pieces of English for messages, reports and pages, written once so that every door says them alike. */

/** `1 file`, `3 files`; `many` where an s is wrong (`1 entry`, `2 entries`). The number in plain digits. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** As `plural`, with the number grouped as in en-GB (`1,200 files`), for what people read at length. */
export function groupedPlural(count: number, word: string, many = `${word}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? word : many}`;
}

/** `a, b and c`; `last` joins the last two (`or`). */
export function listWords(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
}

/** `{ key: value }`, or `{}` when the value is undefined: for optional properties under exactOptionalPropertyTypes. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
