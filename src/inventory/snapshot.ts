import { isMapping, KubeDocument, listItems, readKubeDocuments, typeName, Where } from '../input/kube-list';
import { child, Problems } from '../input/problems';

/**
 * Reading a snapshot of the management cluster: the text `kubectl get ... -A -o yaml` prints (a
 * `kind: List` with `items`), or several YAML documents of objects or Lists. Parsed by
 * src/input/kube-list.ts with the limits of the fleet file's reader (src/input/yaml-source.ts): size,
 * number of values, nesting, duplicate keys, aliases. Every refusal is a problem with the line of
 * the field it concerns.
 */

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
  const objects: SnapshotObject[] = [];
  readKubeDocuments(text, problems, limits, 'a snapshot of Kubernetes objects', (doc: KubeDocument) => {
    const { value, where, add } = doc;
    if (!isMapping(value)) {
      add(where(''), `expected a Kubernetes object or a List of them (what \`${SNAPSHOT_COMMAND}\` prints), got ${typeName(value)}`);
      return;
    }
    for (const item of listItems(doc, value) ?? []) {
      const o = toObject(item.value, item.at, where, add);
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
