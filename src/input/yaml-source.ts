import * as YAML from 'yaml';
import { Locator, pathKeys, Problems } from './problems';

/**
 * Largest input file accepted; a 5,000-cluster fleet is about 1 MB. The YAML parser holds
 * far more than the text in memory (a 31 MB string took 1.2 GB), so the cap is kept low.
 */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/**
 * Most YAML values (scalars, aliases, flow collections, sequence items) accepted in one file.
 * The parser needs about 1 KB per value: 2 million values in a 4 MB flow sequence took 2 GB,
 * and 30 MB of `- {name: x}` ran out of memory. A 5,000-cluster fleet has about 100,000.
 */
export const MAX_YAML_VALUES = 500000;

const VALUE_TOKENS = new Set([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header', 'alias', 'flow-map-start', 'flow-seq-start', 'seq-item-ind',
]);

/** Counts the values of a YAML text with the lexer alone (cheap: it builds nothing), stopping past `max`. */
export function countValues(text: string, max: number): number {
  let n = 0;
  for (const token of new YAML.Lexer().lex(text)) {
    if (VALUE_TOKENS.has(YAML.CST.tokenType(token) ?? '') && ++n > max) break;
  }
  return n;
}

export interface ParsedYaml {
  /** The document as plain data. */
  readonly value: unknown;
  /** Maps a field path to its line in the file. */
  readonly locate: Locator;
}

/**
 * Parses one YAML document strictly: syntax errors, duplicate keys, several documents and
 * runaway aliases are refused with their line, and field paths can be mapped back to lines.
 *
 * @returns the parsed document, or `undefined` when problems were recorded
 */
export function parseYaml(text: string, problems: Problems): ParsedYaml | undefined {
  if (countValues(text, MAX_YAML_VALUES) > MAX_YAML_VALUES) {
    problems.add('(document)', `holds more than ${MAX_YAML_VALUES} YAML values; at most ${MAX_YAML_VALUES} are accepted `
      + '(a 5,000-cluster fleet has about 100,000)');
    return undefined;
  }
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  const list = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  if (list.length !== 1) {
    if (list.length === 0) {
      problems.add('(document)', 'the file is empty; expected one YAML document');
    } else {
      problems.add('(document)', `the file holds ${list.length} YAML documents; expected one`, lineOf(list[1].range[0]));
    }
    return undefined;
  }
  const doc = list[0];
  if (doc.errors.some((e) => e.message.includes('Maximum call stack size exceeded'))) {
    // The parser recursed out of stack: where it stopped depends on the stack size, so no line.
    problems.add('(document)', 'nests collections too deeply to be read; a fleet file needs a few levels only');
    return undefined;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
    }
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.add('(document)', `cannot be read: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
  return { value, locate: (path) => lineInDocument(doc, path, lineOf) };
}

/** The line of the field at `path` in a document (the nearest enclosing field that exists). */
export function lineInDocument(doc: YAML.Document, path: string, lineOf: (offset: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let line = node && YAML.isNode(node) && node.range ? lineOf(node.range[0]) : undefined;
  for (const key of pathKeys(path)) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      if (YAML.isNode(pair.key) && pair.key.range) line = lineOf(pair.key.range[0]);
      node = pair.value;
    } else if (YAML.isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      if (YAML.isNode(item) && item.range) line = lineOf(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
