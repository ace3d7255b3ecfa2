import { FieldReader } from './field-reader';
import { FluxKustomization, FluxSnapshot, FluxSource, groupOf, KUSTOMIZE_GROUP, SOURCE_GROUP } from './flux-objects';
import { isMapping, KubeDocument, listItems, readKubeDocuments, typeName, Where } from '../input/kube-list';
import { child, Problems } from '../input/problems';

/**
 * Reading what `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io
 * -A -o yaml` prints (a `kind: List` with `items`), or several YAML documents of such objects or
 * Lists. The same defenses as the fleet file's and the inventory snapshot's readers (the reading is
 * shared: src/input/kube-list.ts): a size limit, a limit on the number of values (counted by the
 * lexer before anything is built), duplicate keys, strict YAML, an alias limit, nesting too deep to
 * read. Every refusal names the field and its line.
 */

/** The command whose output these functions read (`-A`: in kommander mode the layers live in several namespaces). */
export const STATUS_COMMAND = 'kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io -A -o yaml';

/** The limits of a snapshot: the command passes the inventory snapshot's; tests make them small. */
export interface SnapshotLimits {
  readonly bytes: number;
  readonly values: number;
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
  const kustomizations: FluxKustomization[] = [];
  const sources: FluxSource[] = [];
  /** Objects of other kinds: the first of each, and how many. */
  const others = new Map<string, { where: Where; count: number }>();
  /** Each object's identity, to refuse one listed twice. */
  const seen = new Map<string, number | undefined>();
  /** Objects and Lists read: a List with no items is an answer (the report says what it lacks), an empty file is not. */
  let objects = 0;
  readKubeDocuments(text, problems, limits, 'a list of Flux objects', (doc: KubeDocument) => {
    const { value, where, add } = doc;
    if (!isMapping(value)) {
      add(where(''), `expected a List of Flux Kustomizations and GitRepositories (what \`${STATUS_COMMAND}\` prints), got ${typeName(value)}`);
      return;
    }
    const items = listItems(doc, value);
    if (items === undefined) return;
    if (items.length === 0) objects++;
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
