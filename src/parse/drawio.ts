import { inflateRawSync, inflateSync } from 'node:zlib';

/**
 * draw.io's file format, read far enough to tell whether two files hold the same diagrams. A file is an `<mxfile>`
 * of `<diagram>` pages; a page holds an `<mxGraphModel>` either as XML or compressed (base64 of raw deflate of the
 * URL-encoded XML). Editable exports carry the same `<mxfile>`: an SVG in its root's `content` attribute, a PNG in
 * a text chunk keyed `mxfile`.
 */

/** One page of a diagram file, its model reduced to a form in which equal drawings compare equal. */
export interface DrawioPage {
  name: string;
  id: string;
  /** The page's cells (`<root>`), canonical: attributes re-escaped one way, no layout whitespace, no view state. */
  model: string;
}

export type DrawioRead = { ok: true; pages: DrawioPage[] } | { ok: false; reason: string };

/** The suffixes that mark a draw.io source, longest first so that `a.drawio.xml` is not read as `a.drawio` + `.xml`. */
export const DRAWIO_SOURCE_SUFFIXES: readonly string[] = ['.drawio.xml', '.drawio', '.dio'];

/** The source suffix of a path (`.drawio`, `.dio`, `.drawio.xml`, any case), or undefined for other files. */
export function drawioSourceSuffix(path: string): string | undefined {
  const lower = path.toLowerCase();
  const suffix = DRAWIO_SOURCE_SUFFIXES.find((s) => lower.endsWith(s));
  // A file named only `.drawio` has no name to export under.
  if (suffix === undefined || lower.length === suffix.length || lower.endsWith('/' + suffix))
    return undefined;
  return suffix;
}

/** Reads the pages of a draw.io file: an `<mxfile>`, or a bare `<mxGraphModel>` as older versions saved. */
export function readDrawio(xml: string): DrawioRead {
  const text = xml.replace(/^\uFEFF/, '');
  if (/<mxfile[\s>]/.test(text)) {
    const pages: DrawioPage[] = [];
    const diagram = /<diagram\b([^>]*?)(?:\/>|>([\s\S]*?)<\/diagram\s*>)/g;
    let index = 0;
    for (const match of text.matchAll(diagram)) {
      index += 1;
      const attributes = readAttributes(match[1] ?? '');
      const name = attributes.get('name') ?? `Page-${index}`;
      const model = pageModel(match[2] ?? '');
      if (!model.ok) return { ok: false, reason: `page ${index} ("${name}"): ${model.reason}` };
      pages.push({ name, id: attributes.get('id') ?? '', model: model.model });
    }
    if (pages.length === 0) return { ok: false, reason: 'the <mxfile> holds no <diagram> page' };
    return { ok: true, pages };
  }
  if (/<mxGraphModel[\s>]/.test(text)) {
    const model = pageModel(text.slice(text.indexOf('<mxGraphModel')));
    if (!model.ok) return { ok: false, reason: model.reason };
    return { ok: true, pages: [{ name: 'Page-1', id: '', model: model.model }] };
  }
  return { ok: false, reason: 'it is not a draw.io file (no <mxfile> or <mxGraphModel> element)' };
}

/** The `<mxfile>` carried by an editable SVG export, or why there is none. */
export function mxfileFromSvg(svg: string): { ok: true; xml: string } | { ok: false; reason: string } {
  const root = /<svg\b([^>]*)>/.exec(svg);
  if (root === null) return { ok: false, reason: 'it has no <svg> element' };
  const content = readAttributes(root[1] ?? '').get('content');
  if (content === undefined || content.trim() === '') {
    return { ok: false, reason: 'it carries no diagram (its <svg> has no content attribute)' };
  }
  return embedded(content);
}

/** The `<mxfile>` carried by an editable PNG export (a `tEXt`, `zTXt` or `iTXt` chunk keyed `mxfile`). */
export function mxfileFromPng(bytes: Uint8Array): { ok: true; xml: string } | { ok: false; reason: string } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 8 || !data.subarray(0, 8).equals(signature))
    return { ok: false, reason: 'it is not a PNG file' };
  let at = 8;
  while (at + 8 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, Math.min(data.length, at + 8 + length));
    at += 12 + length;
    if (type === 'IEND') break;
    if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') continue;
    const nul = body.indexOf(0);
    if (nul < 0 || body.toString('latin1', 0, nul) !== 'mxfile') continue;
    try {
      if (type === 'tEXt') return embedded(body.toString('latin1', nul + 1));
      if (type === 'zTXt') return embedded(inflateSync(body.subarray(nul + 2)).toString('latin1'));
      // iTXt: compression flag, method, language tag NUL, translated keyword NUL, then UTF-8 text.
      const compressed = body[nul + 1] === 1;
      const language = body.indexOf(0, nul + 3);
      const translated = language < 0 ? -1 : body.indexOf(0, language + 1);
      if (translated < 0) return { ok: false, reason: 'its mxfile chunk is malformed' };
      const raw = body.subarray(translated + 1);
      return embedded((compressed ? inflateSync(raw) : raw).toString('utf8'));
    } catch {
      return { ok: false, reason: 'its mxfile chunk cannot be decompressed' };
    }
  }
  return { ok: false, reason: 'it carries no diagram (no mxfile chunk)' };
}

/** An embedded diagram as draw.io writes it: XML, URL-encoded XML, or (older versions) compressed. */
function embedded(value: string): { ok: true; xml: string } | { ok: false; reason: string } {
  let text = value.trim();
  if (text.startsWith('%3C') || text.startsWith('%3c')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, reason: 'its embedded diagram is not valid URL-encoded text' };
    }
  }
  if (text.startsWith('<')) return { ok: true, xml: text };
  const inflated = inflateDiagram(text);
  return inflated === undefined
    ? { ok: false, reason: 'its embedded diagram is neither XML nor compressed draw.io data' }
    : { ok: true, xml: inflated };
}

/** base64 → raw inflate → URL-decode: draw.io's compression of a page (and, in old files, of a whole file). */
export function inflateDiagram(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    const inflated = inflateRawSync(Buffer.from(compact, 'base64')).toString('latin1');
    return decodeURIComponent(inflated);
  } catch {
    return undefined;
  }
}

function pageModel(inner: string): { ok: true; model: string } | { ok: false; reason: string } {
  let xml = inner.trim();
  if (xml === '') return { ok: true, model: '' };
  if (!xml.startsWith('<')) {
    const inflated = inflateDiagram(decodeEntities(xml));
    if (inflated === undefined) return { ok: false, reason: 'its compressed content cannot be read' };
    xml = inflated;
  }
  const root = /<root\b[^>]*>([\s\S]*)<\/root\s*>/.exec(xml);
  if (root === null) {
    // An empty page is saved as a model without cells.
    if (/<root\b[^>]*\/>/.test(xml) || /<mxGraphModel\b[^>]*\/>/.test(xml)) return { ok: true, model: '' };
    return { ok: false, reason: 'it has no <root> of cells' };
  }
  // `dx`/`dy` and the like on <mxGraphModel> are where the editor's view was scrolled: not the drawing.
  return { ok: true, model: canonicalXml(root[1] ?? '') };
}

const TOKEN =
  /<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;

/** XML with attributes decoded and re-escaped one way, layout whitespace and comments dropped. */
export function canonicalXml(xml: string): string {
  let out = '';
  for (const match of xml.matchAll(TOKEN)) {
    const [whole, closing, name, attributes, selfClosing, text] = match;
    if (whole.startsWith('<!--')) continue;
    if (text !== undefined) {
      const trimmed = text.trim();
      if (trimmed !== '') out += escape(decodeEntities(trimmed));
      continue;
    }
    if (closing === '/') {
      out += `</${name}>`;
      continue;
    }
    let tag = `<${name}`;
    for (const [key, value] of readAttributes(attributes ?? '')) tag += ` ${key}="${escape(value)}"`;
    out += tag + (selfClosing === '/' ? '/>' : '>');
  }
  return out;
}

function readAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes.set(match[1]!, decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's five named entities and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[entity] ?? whole;
  });
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}

/** Where two readings differ, page by page, in words; undefined when they hold the same drawings. */
export function comparePages(source: readonly DrawioPage[], copy: readonly DrawioPage[]): string | undefined {
  const differing: string[] = [];
  for (let i = 0; i < Math.max(source.length, copy.length); i++) {
    const a = source[i];
    const b = copy[i];
    if (a === undefined) {
      differing.push(`page ${i + 1} ("${b!.name}") is in the export but no longer in the source`);
    } else if (b === undefined) {
      differing.push(`page ${i + 1} ("${a.name}") is in the source but not in the export`);
    } else if (a.model !== b.model) {
      differing.push(`page ${i + 1} ("${a.name}") differs`);
    } else if (a.name !== b.name) {
      differing.push(`page ${i + 1} is named "${a.name}" in the source but "${b.name}" in the export`);
    }
  }
  return differing.length === 0 ? undefined : differing.join('; ');
}
