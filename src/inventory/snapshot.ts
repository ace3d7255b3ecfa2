import * as YAML from 'yaml';
import { child, FleetError, pathKeys, Problems, show } from '../input/problems';


/**
 * Reading a snapshot of the management cluster: the text `kubectl get ... -A -o yaml` prints (a
 * `kind: List` with `items`), or several YAML documents of objects or Lists. Parsed with the
 * limits of the fleet file's reader (src/input/yaml-source.ts): size, number of values, nesting,
 * duplicate keys, aliases. Every refusal is a problem with the line of the field it concerns.
 */

/** Where a field of the snapshot is: its field path and, when known, its line. */
export interface Where {
  readonly path: string;
  readonly line?: number;
}

/** One Kubernetes object of the snapshot. */
export interface SnapshotObject {
  /** `group/version`, or `v1`; empty when the object has none. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The object as plain data. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Where a field of this object is (`''`: the object itself). */
  readonly at: (field: string) => Where;
}

const VALUE_TOKENS = new Set([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header', 'alias', 'flow-map-start', 'flow-seq-start', 'seq-item-ind',
]);

/** Counts the values of a YAML text with the lexer alone, stopping past `max` (as src/input/yaml-source.ts does). */
function countValues(text: string, max: number): number {
  let n = 0;
  for (const token of new YAML.Lexer().lex(text)) {
    if (VALUE_TOKENS.has(YAML.CST.tokenType(token) ?? '') && ++n > max) break;
  }
  return n;
}

function lineIn(doc: YAML.Document, path: string, lineOf: (offset: number) => number): number | undefined {
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

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${show(v)})`;
}

/**
 * Snapshots are larger than fleet files: `kubectl get ... -o yaml` of a 1,000-cluster fleet is tens of
 * megabytes (every object with its status and managed fields). The limits still stop a runaway file.
 */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
export const MAX_SNAPSHOT_VALUES = 20_000_000;

const SNAPSHOT_COMMAND = 'kubectl get clusters.cluster.x-k8s.io,... -A -o yaml';

/**
 * Parses a snapshot into its objects.
 *
 * @param file names the snapshot in problems
 * @param limits the largest snapshot read (tests make them small)
 * @throws FleetError naming every problem of the text
 */
export function parseSnapshot(text: string, file: string, limits = { bytes: MAX_SNAPSHOT_BYTES, values: MAX_SNAPSHOT_VALUES }): SnapshotObject[] {
  const problems = new Problems(file);
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
  const docs = YAML.parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const list: YAML.Document.Parsed[] = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  if ('empty' in docs && docs.empty) {
    for (const e of docs.errors) problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
  }
  for (const doc of list) {
    if (doc.errors.some((e) => e.message.includes('Maximum call stack size exceeded'))) {
      problems.add('(document)', 'nests collections too deeply to be read; a snapshot of Kubernetes objects needs a few levels only');
      throw new FleetError(problems.all);
    }
    for (const e of doc.errors) problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
  }
  problems.throwIfAny();

  const objects: SnapshotObject[] = [];
  const several = list.length > 1;
  list.forEach((doc, d) => {
    let value: unknown;
    const prefix = several ? `documents[${d}]` : '';
    const docLine = doc.contents && YAML.isNode(doc.contents) && doc.contents.range ? lineOf(doc.contents.range[0]) : undefined;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.add(prefix || '(document)', `cannot be read: ${(e as Error).message.split('\n')[0]}`, docLine);
      return;
    }
    if (value === null || value === undefined) return; // an empty document, such as a trailing `---`
    const where = (docPath: string): Where => {
      const line = lineIn(doc, docPath, lineOf);
      const full = [prefix, docPath].filter((p) => p !== '').join('.');
      return { path: full === '' ? '(document)' : full, ...(line === undefined ? {} : { line }) };
    };
    const add = (w: Where, message: string) => problems.add(w.path, message, w.line);
    if (!isMapping(value)) {
      add(where(''), `expected a Kubernetes object or a List of them (what \`${SNAPSHOT_COMMAND}\` prints), got ${typeName(value)}`);
      return;
    }
    if (value.kind === 'List' || (typeof value.kind === 'string' && /List$/.test(value.kind) && 'items' in value)) {
      if (!Array.isArray(value.items)) {
        add(where('items'), `expected the List's objects, got ${typeName(value.items)}`);
        return;
      }
      value.items.forEach((item, i) => {
        const o = toObject(item, `items[${i}]`, where, add);
        if (o) objects.push(o);
      });
    } else {
      const o = toObject(value, '', where, add);
      if (o) objects.push(o);
    }
  });
  if (problems.count === 0 && objects.length === 0) {
    problems.add('(document)', `holds no Kubernetes objects; expected the output of \`${SNAPSHOT_COMMAND}\` (a List with items)`);
  }
  problems.throwIfAny();
  return objects;
}

function toObject(value: unknown, at: string, where: (p: string) => Where, add: (w: Where, m: string) => void): SnapshotObject | undefined {
  const sub = (field: string) => (field === '' ? at : child(at, field));
  if (!isMapping(value)) {
    add(where(at), `expected a Kubernetes object (a mapping with kind and metadata.name), got ${typeName(value)}`);
    return undefined;
  }
  let ok = true;
  if (typeof value.kind !== 'string' || value.kind === '') {
    add(where(sub('kind')), value.kind === undefined
      ? 'required field is missing: every object of a snapshot has kind and metadata.name (as `kubectl get -o yaml` prints them)'
      : `expected a kind such as Cluster, got ${typeName(value.kind)}`);
    ok = false;
  }
  const metadata = value.metadata;
  const name = isMapping(metadata) ? metadata.name : undefined;
  if (typeof name !== 'string' || name === '') {
    add(where(sub(isMapping(metadata) ? 'metadata.name' : 'metadata')), name === undefined
      ? 'required field is missing: every object of a snapshot has kind and metadata.name (as `kubectl get -o yaml` prints them)'
      : `expected an object name, got ${typeName(name)}`);
    ok = false;
  }
  const namespace = isMapping(metadata) ? metadata.namespace : undefined;
  if (namespace !== undefined && typeof namespace !== 'string') {
    add(where(sub('metadata.namespace')), `expected a namespace, got ${typeName(namespace)}`);
    ok = false;
  }
  if (value.apiVersion !== undefined && typeof value.apiVersion !== 'string') {
    add(where(sub('apiVersion')), `expected an apiVersion such as cluster.x-k8s.io/v1beta1, got ${typeName(value.apiVersion)}`);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    apiVersion: (value.apiVersion as string | undefined) ?? '',
    kind: value.kind as string,
    name: name as string,
    ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
    body: value,
    at: (field: string) => where(sub(field)),
  };
}

/** The field at `path` (`spec.topology.version`) of an object, or undefined. */
export function field(o: SnapshotObject, path: string): unknown {
  let v: unknown = o.body;
  for (const k of path.split('.')) {
    if (!isMapping(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function describe(o: SnapshotObject): string {
  return `${o.kind} ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name}`;
}

/** The API group of an object: `cluster.x-k8s.io` for `cluster.x-k8s.io/v1beta1`, `''` for `v1`. */
export function groupOf(o: SnapshotObject): string {
  const i = o.apiVersion.lastIndexOf('/');
  return i < 0 ? '' : o.apiVersion.slice(0, i);
}
