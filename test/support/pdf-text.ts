import { inflateSync } from 'node:zlib';

/**
 * The text of each page of a PDF as Chromium prints it (uncompressed object table, Flate streams, Type 0 fonts
 * with a ToUnicode map): enough to see that labels were printed as text, not to read PDFs in general.
 */
export function pdfPageTexts(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  const objects = new Map<string, string>();
  for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(match[1]!, match[2]!);
  const streamOf = (body: string): string => {
    const match = /<<([\s\S]*?)>>\s*stream\r?\n([\s\S]*?)\r?\nendstream/.exec(body);
    if (match === null) return '';
    const raw = Buffer.from(match[2]!, 'latin1');
    return (/FlateDecode/.test(match[1]!) ? inflateSync(raw) : raw).toString('latin1');
  };
  const unicodeOf = (fontObject: string | undefined): Map<number, string> => {
    const map = new Map<number, string>();
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObject ?? '') ?? '');
    const cmap = ref === null ? '' : streamOf(objects.get(ref[1]!) ?? '');
    for (const section of cmap.matchAll(/beginbf(char|range)([\s\S]*?)endbf/g)) {
      const hex = [...section[2]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((m) => parseInt(m[1]!, 16));
      const width = section[1] === 'char' ? 2 : 3;
      for (let i = 0; i + width <= hex.length; i += width) {
        const [low, high, to] = width === 2 ? [hex[i]!, hex[i]!, hex[i + 1]!] : hex.slice(i, i + 3);
        for (let code = low!; code <= high!; code++) map.set(code, String.fromCodePoint(to! + code - low!));
      }
    }
    return map;
  };
  const pages: string[] = [];
  for (const body of objects.values()) {
    if (!/\/Type \/Page\b/.test(body)) continue;
    const fonts = new Map<string, string>();
    const fontDictionary = /\/Font\s*<<([^>]*)>>/.exec(body)?.[1] ?? '';
    for (const match of fontDictionary.matchAll(/\/(\S+) (\d+) 0 R/g)) fonts.set(match[1]!, match[2]!);
    const contents = /\/Contents (\d+) 0 R/.exec(body);
    const operations = contents === null ? '' : streamOf(objects.get(contents[1]!) ?? '');
    let unicode = new Map<number, string>();
    let out = '';
    for (const match of operations.matchAll(/\/(\S+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|\bET\b/g)) {
      if (match[1] !== undefined) unicode = unicodeOf(fonts.get(match[1]));
      else if (match[2] !== undefined) {
        for (let i = 0; i + 4 <= match[2].length; i += 4)
          out += unicode.get(parseInt(match[2].slice(i, i + 4), 16)) ?? '';
      } else out += ' ';
    }
    pages.push(out);
  }
  return pages;
}
