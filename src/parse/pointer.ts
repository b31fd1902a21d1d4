/** JSON pointers (RFC 6901), the addresses that schema errors and locators share. */

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Splits a JSON pointer (RFC 6901) into its unescaped segments; `""` and `"/"`-less input mean the root. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const body = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  return body
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from raw segments. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment) => `/${escapeSegment(String(segment))}`).join('');
}
