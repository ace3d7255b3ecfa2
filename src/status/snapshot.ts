import * as YAML from 'yaml';
import { child, FleetError, pathKeys, Problems, show } from '../input/problems';

/**
 * Reading what `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io
 * -A -o yaml` prints (a `kind: List` with `items`), or several YAML documents of such objects or
 * Lists. The same defenses as the fleet file's and the inventory snapshot's readers: a size limit, a
 * limit on the number of values (counted by the lexer before anything is built), duplicate keys,
 * strict YAML, an alias limit, nesting too deep to read. Every refusal names the field and its line.
 */

/** The command whose output these functions read (`-A`: in kommander mode the layers live in several namespaces). */
export const STATUS_COMMAND = 'kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io -A -o yaml';

/** The API group of Flux Kustomizations (kustomize's own `kustomize.config.k8s.io` Kustomization is not one). */
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
/** The API group of Flux sources (GitRepository, OCIRepository, Bucket, ...). */
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** The limits of a snapshot: the command passes the inventory snapshot's; tests make them small. */
export interface SnapshotLimits {
  readonly bytes: number;
  readonly values: number;
}

/** One condition of a Flux object's status (meta.Condition). */
export interface FluxCondition {
  readonly type: string;
  /** `True`, `False` or `Unknown`. */
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

/** A Flux Kustomization, with the fields the status reads. */
export interface FluxKustomization {
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** metadata.generation. @default - unknown */
  readonly generation?: number;
  /** spec.suspend. */
  readonly suspend: boolean;
  /** status.observedGeneration. @default - never reconciled */
  readonly observedGeneration?: number;
  /** status.lastAppliedRevision: the source revision of the last successful reconcile. */
  readonly lastAppliedRevision?: string;
  /** status.lastAttemptedRevision: the source revision of the last attempt. */
  readonly lastAttemptedRevision?: string;
  readonly conditions: readonly FluxCondition[];
  /** The line of the object in the snapshot. */
  readonly line?: number;
}

/** A Flux source (GitRepository, OCIRepository, Bucket), with the fields the status reads. */
export interface FluxSource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** status.artifact.revision: the revision source-controller serves now (`main@sha1:<40 hex>`, `main/<40 hex>` before source-controller v0.35). */
  readonly revision?: string;
  readonly conditions: readonly FluxCondition[];
  readonly line?: number;
}

/** The Flux objects of a snapshot, in the snapshot's order. */
export interface FluxSnapshot {
  readonly kustomizations: readonly FluxKustomization[];
  readonly sources: readonly FluxSource[];
}

const VALUE_TOKENS = new Set([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header', 'alias', 'flow-map-start', 'flow-seq-start', 'seq-item-ind',
]);

/** Counts the values of a YAML text with the lexer alone (it builds nothing), stopping past `max`. */
function countValues(text: string, max: number): number {
  let n = 0;
  for (const token of new YAML.Lexer().lex(text)) {
    if (VALUE_TOKENS.has(YAML.CST.tokenType(token) ?? '') && ++n > max) break;
  }
  return n;
}

/** The line of the field at `path` in a document (the nearest enclosing field that exists). */
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

/** The API group of `group/version` (`''` for `v1`). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Where a field is: its path in the snapshot and its line. */
interface Where {
  readonly path: string;
  readonly line?: number;
}

/** Reads the fields of one object, recording a problem for each field of the wrong type. */
class FieldReader {
  public ok = true;

  public constructor(
    private readonly value: Record<string, unknown>,
    private readonly at: string,
    private readonly where: (path: string) => Where,
    private readonly problems: Problems,
  ) {}

  public problem(field: string, message: string): void {
    const w = this.where(field === '' ? this.at : child(this.at, field));
    this.problems.add(w.path, message, w.line);
    this.ok = false;
  }

  /** The value at a dotted path, or undefined (a missing or non-mapping parent is undefined too). */
  public raw(path: string): unknown {
    let v: unknown = this.value;
    for (const k of path.split('.')) {
      if (!isMapping(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
      v = v[k];
    }
    return v;
  }

  /** A mapping at `path` (undefined when absent), or a problem. */
  public mapping(path: string, what: string): Record<string, unknown> | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (!isMapping(v)) {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public string(path: string, what: string): string | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public integer(path: string, what: string): number | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public boolean(path: string, what: string): boolean | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  /** metadata.labels: string values only, as Kubernetes has them. */
  public labels(): Record<string, string> {
    const labels = this.mapping('metadata.labels', 'a mapping of labels');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof v === 'string') out[k] = v;
      else this.problem(`metadata.labels.${k}`, `expected a label value (a string), got ${typeName(v)}`);
    }
    return out;
  }

  /** status.conditions: a list of conditions, each with a type and a status. */
  public conditions(): FluxCondition[] {
    const v = this.raw('status.conditions');
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem('status.conditions', `expected a list of conditions, got ${typeName(v)}`);
      return [];
    }
    const out: FluxCondition[] = [];
    v.forEach((c, i) => {
      const at = `status.conditions[${i}]`;
      if (!isMapping(c)) {
        this.problem(at, `expected a condition (a mapping with type and status), got ${typeName(c)}`);
        return;
      }
      const text = (k: string, required: boolean): string | undefined => {
        const s = c[k];
        if (s === undefined || s === null) {
          if (required) this.problem(`${at}.${k}`, 'required field is missing: every condition has type and status (as Flux writes them)');
          return undefined;
        }
        if (typeof s !== 'string') {
          this.problem(`${at}.${k}`, `expected a string, got ${typeName(s)}`);
          return undefined;
        }
        return s;
      };
      const type = text('type', true);
      const status = text('status', true);
      const reason = text('reason', false);
      const message = text('message', false);
      const lastTransitionTime = text('lastTransitionTime', false);
      const og = c.observedGeneration;
      if (og !== undefined && og !== null && (typeof og !== 'number' || !Number.isSafeInteger(og))) {
        this.problem(`${at}.observedGeneration`, `expected a generation (an integer), got ${typeName(og)}`);
      }
      if (type === undefined || status === undefined) return;
      out.push({
        type, status,
        ...(reason === undefined ? {} : { reason }),
        ...(message === undefined ? {} : { message }),
        ...(typeof og === 'number' ? { observedGeneration: og } : {}),
        ...(lastTransitionTime === undefined ? {} : { lastTransitionTime }),
      });
    });
    return out;
  }
}

/** What an object of the snapshot is, for a refusal: `a Cluster (cluster.x-k8s.io/v1beta1)`. */
function describeKind(kind: string, apiVersion: string): string {
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}${apiVersion === '' ? '' : ` (${apiVersion})`}`;
}

/**
 * Parses a snapshot into its Flux Kustomizations and sources. Objects of other kinds are refused
 * (one problem per kind, at its first object): the snapshot is not what the command prints.
 *
 * @param file names the snapshot in problems
 * @throws FleetError naming every problem of the text
 */
export function parseFluxSnapshot(text: string, file: string, limits: SnapshotLimits): FluxSnapshot {
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
      problems.add('(document)', 'nests collections too deeply to be read; a list of Flux objects needs a few levels only');
      throw new FleetError(problems.all);
    }
    for (const e of doc.errors) problems.add('(syntax)', `malformed YAML: ${e.message.split('\n')[0]}`, lineOf(e.pos[0]));
  }
  problems.throwIfAny();

  const kustomizations: FluxKustomization[] = [];
  const sources: FluxSource[] = [];
  /** Objects of other kinds: the first of each, and how many. */
  const others = new Map<string, { where: Where; count: number }>();
  /** Each object's identity, to refuse one listed twice. */
  const seen = new Map<string, number | undefined>();
  /** Objects and Lists read: a List with no items is an answer (the report says what it lacks), an empty file is not. */
  let objects = 0;
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
      const line = lineIn(doc, docPath, lineOf);
      const full = [prefix, docPath].filter((p) => p !== '').join('.');
      return { path: full === '' ? '(document)' : full, ...(line === undefined ? {} : { line }) };
    };
    const add = (w: Where, message: string) => problems.add(w.path, message, w.line);
    if (!isMapping(value)) {
      add(where(''), `expected a List of Flux Kustomizations and GitRepositories (what \`${STATUS_COMMAND}\` prints), got ${typeName(value)}`);
      return;
    }
    const items: { value: unknown; at: string }[] = [];
    if (value.kind === 'List' || (typeof value.kind === 'string' && /List$/.test(value.kind) && 'items' in value)) {
      if (!Array.isArray(value.items)) {
        add(where('items'), `expected the List's objects, got ${typeName(value.items)}`);
        return;
      }
      if (value.items.length === 0) objects++;
      value.items.forEach((item, i) => items.push({ value: item, at: `items[${i}]` }));
    } else {
      items.push({ value, at: '' });
    }
    for (const item of items) {
      objects++;
      const sub = (field: string) => (field === '' ? item.at : child(item.at, field));
      if (!isMapping(item.value)) {
        add(where(item.at), `expected a Flux Kustomization or GitRepository (a mapping with apiVersion, kind and metadata), got ${typeName(item.value)}`);
        continue;
      }
      const r = new FieldReader(item.value, item.at, where, problems);
      const kind = r.string('kind', 'a kind such as Kustomization');
      const apiVersion = r.string('apiVersion', 'an apiVersion such as kustomize.toolkit.fluxcd.io/v1');
      if (!r.ok) continue;
      if (kind === undefined || apiVersion === undefined) {
        r.problem(kind === undefined ? 'kind' : 'apiVersion',
          'required field is missing: every object `kubectl get -o yaml` prints has apiVersion, kind and metadata.name');
        continue;
      }
      const group = groupOf(apiVersion);
      const isKustomization = kind === 'Kustomization' && group === KUSTOMIZE_GROUP;
      const isSource = group === SOURCE_GROUP;
      if (!isKustomization && !isSource) {
        const key = `${apiVersion} ${kind}`;
        const other = others.get(key);
        if (other) other.count++;
        else others.set(key, { where: { path: where(item.at).path, line: where(sub('kind')).line }, count: 1 });
        continue;
      }
      const name = r.string('metadata.name', 'an object name');
      const namespace = r.string('metadata.namespace', 'a namespace');
      if (name === undefined || name === '') {
        if (r.ok) r.problem('metadata.name', 'required field is missing: every object `kubectl get -o yaml` prints has metadata.name');
        continue;
      }
      if (namespace === undefined || namespace === '') {
        if (r.ok) {
          r.problem('metadata.namespace', `required field is missing: a ${kind} is namespaced, and \`kubectl get -A -o yaml\` prints its namespace`);
        }
        continue;
      }
      const identity = `${group}/${kind}/${namespace}/${name}`;
      const line = where(item.at).line;
      if (seen.has(identity)) {
        const first = seen.get(identity);
        r.problem('', `${kind} ${namespace}/${name} is listed twice${first === undefined ? '' : ` (first at line ${first})`}; `
          + 'give one snapshot, as one run of the command prints it');
        continue;
      }
      seen.set(identity, line);
      const conditions = r.conditions();
      if (isKustomization) {
        const labels = r.labels();
        const generation = r.integer('metadata.generation', 'a generation (an integer)');
        const suspend = r.boolean('spec.suspend', 'true or false');
        const observedGeneration = r.integer('status.observedGeneration', 'a generation (an integer)');
        const lastAppliedRevision = r.string('status.lastAppliedRevision', 'a source revision');
        const lastAttemptedRevision = r.string('status.lastAttemptedRevision', 'a source revision');
        if (!r.ok) continue;
        kustomizations.push({
          apiVersion, name, namespace, labels, suspend: suspend === true, conditions,
          ...(generation === undefined ? {} : { generation }),
          ...(observedGeneration === undefined ? {} : { observedGeneration }),
          ...(lastAppliedRevision === undefined || lastAppliedRevision === '' ? {} : { lastAppliedRevision }),
          ...(lastAttemptedRevision === undefined || lastAttemptedRevision === '' ? {} : { lastAttemptedRevision }),
          ...(line === undefined ? {} : { line }),
        });
      } else {
        r.mapping('status.artifact', 'the artifact source-controller serves (a mapping with revision)');
        const revision = r.string('status.artifact.revision', 'a source revision');
        if (!r.ok) continue;
        sources.push({
          apiVersion, kind, name, namespace, conditions,
          ...(revision === undefined || revision === '' ? {} : { revision }),
          ...(line === undefined ? {} : { line }),
        });
      }
    }
  });
  for (const [key, { where, count }] of others) {
    const [apiVersion, kind] = key.split(' ');
    problems.add(where.path, `${describeKind(kind, apiVersion)} is not a Flux Kustomization or source`
      + `${count > 1 ? ` (nor are the ${count - 1} other${count === 2 ? '' : 's'} of its kind)` : ''}; `
      + `expected the output of \`${STATUS_COMMAND}\``, where.line);
  }
  if (problems.count === 0 && objects === 0) {
    problems.add('(document)', `holds no Kubernetes objects; expected the output of \`${STATUS_COMMAND}\` (a List with items)`);
  }
  problems.throwIfAny();
  return { kustomizations, sources };
}
