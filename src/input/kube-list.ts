import * as YAML from 'yaml';
import { FleetError, Problems, show } from './problems';
import { countValues, lineInDocument } from './yaml-source';

/**
 * The defensive reading of what `kubectl get ... -A -o yaml` prints (a `kind: List` with `items`),
 * or of several YAML documents of objects or Lists, shared by the inventory's and the status's
 * snapshot readers. The same defenses as the fleet file's reader (./yaml-source.ts): a size limit,
 * a limit on the number of values (counted by the lexer before anything is built), duplicate keys,
 * strict YAML, an alias limit, nesting too deep to read. Every refusal names the field and its line.
 */

/** Where a field of the snapshot is: its field path and, when known, its line. */
export interface Where {
  readonly path: string;
  readonly line?: number;
}

/** The largest snapshot read. */
export interface KubeListLimits {
  readonly bytes: number;
  readonly values: number;
}

/** One document of a snapshot, read: its value (neither null nor undefined) and where its fields are. */
export interface KubeDocument {
  readonly value: unknown;
  /** Where a field of the document is (`''`: the document itself). */
  readonly where: (docPath: string) => Where;
  /** Records a problem at a field. */
  readonly add: (w: Where, message: string) => void;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What a value is, for a refusal: `a mapping`, `a string ("x")`. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${show(v)})`;
}

/**
 * Parses a snapshot and hands each document read to `each`, in order; a document that cannot be
 * read (too many aliases) is a problem, an empty one (a trailing `---`) is skipped.
 *
 * @param problems where problems go (named after the snapshot file)
 * @param levels ends the refusal of a text nested too deeply: `a snapshot of Kubernetes objects`
 *   gives `...; a snapshot of Kubernetes objects needs a few levels only`
 * @throws FleetError when the text is too large, holds too many values or nests too deeply, or
 *   naming every syntax error
 */
export function readKubeDocuments(text: string, problems: Problems, limits: KubeListLimits, levels: string, each: (doc: KubeDocument) => void): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.bytes) {
    problems.add('(file)', `is ${bytes} bytes; snapshots of at most ${limits.bytes} bytes are accepted`);
    throw new FleetError(problems.all);
  }
  if (countValues(text, limits.values) > limits.values) {
    problems.add('(document)', `holds more than ${limits.values} YAML values; at most ${limits.values} are accepted`);
    throw new FleetError(problems.all);
  }
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const list: YAML.Document.Parsed[] = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  if ('empty' in docs && docs.empty) {
    for (const e of docs.errors) problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
  }
  for (const doc of list) {
    if (doc.errors.some((e) => e.message.includes('Maximum call stack size exceeded'))) {
      problems.add('(document)', `nests collections too deeply to be read; ${levels} needs a few levels only`);
      throw new FleetError(problems.all);
    }
    for (const e of doc.errors) problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
  }
  problems.throwIfAny();

  const several = list.length > 1;
  list.forEach((doc, d) => {
    const prefix = several ? `documents[${d}]` : '';
    const docLine = doc.contents && YAML.isNode(doc.contents) && doc.contents.range ? lineOf(doc.contents.range[0]) : undefined;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.add(prefix || '(document)', `cannot be read: ${(e as Error).message.split('\n')[0]}`, docLine);
      return;
    }
    if (value === null || value === undefined) return; // an empty document, such as a trailing `---`
    const where = (docPath: string): Where => {
      const line = lineInDocument(doc, docPath, lineOf);
      const full = [prefix, docPath].filter((p) => p !== '').join('.');
      return { path: full === '' ? '(document)' : full, ...(line === undefined ? {} : { line }) };
    };
    each({ value, where, add: (w: Where, message: string) => problems.add(w.path, message, w.line) });
  });
}

/**
 * The objects of a document, each with its path: the items of a List (`kind: List`, or a kind
 * ending in `List` that has `items`), else the document itself (at `''`).
 *
 * @returns undefined when the List's items are not a list (a problem is recorded)
 */
export function listItems(doc: KubeDocument, value: Record<string, unknown>): { value: unknown; at: string }[] | undefined {
  if (value.kind === 'List' || (typeof value.kind === 'string' && /List$/.test(value.kind) && 'items' in value)) {
    if (!Array.isArray(value.items)) {
      doc.add(doc.where('items'), `expected the List's objects, got ${typeName(value.items)}`);
      return undefined;
    }
    return value.items.map((item, i) => ({ value: item, at: `items[${i}]` }));
  }
  return [{ value, at: '' }];
}
