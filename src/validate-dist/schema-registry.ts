import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CLUSTER_SCOPED_CORE_KINDS, CORE_SCHEMAS } from './core-schemas';
import { SchemaNode } from './structural-schema';
import { byKey } from '../input/compare';

/** Where a schema came from, for messages and notes. */
export interface SchemaEntry {
  /** `group/version` (or `version` for the core group) and kind the schema is for. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The openAPIV3Schema (structural-schema form). */
  readonly schema: SchemaNode;
  /** The CRD serves this version; a non-served version is still used when an object asks for it. */
  readonly served: boolean;
  /** Whether objects of this kind live in a namespace. */
  readonly scope: 'Namespaced' | 'Cluster';
  /** A CRD file, or `Kubernetes API reference` for the core kinds. */
  readonly origin: string;
  /** Said once per object validated with this entry: how the schema was chosen. */
  readonly note?: string;
  /** Fields of `spec` this version does not have (an entry borrowed from another version). */
  readonly removedSpecFields?: readonly string[];
}

/**
 * API versions that have no CRD here but the same shape as one that has: validated against the
 * other version's schema, minus the fields it lacks, and the result says so.
 */
const BORROWED: readonly {
  readonly apiVersion: string; readonly kind: string; readonly from: string; readonly removedSpecFields: readonly string[]; readonly why: string;
}[] = [
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
    kind: 'Kustomization',
    from: 'kustomize.toolkit.fluxcd.io/v1',
    // docs/facts/flux-features.md §2: deletionPolicy (e) and healthCheckExprs (f) exist in v1 only.
    removedSpecFields: ['deletionPolicy', 'healthCheckExprs'],
    why: 'no v1beta2 CRD in the shared CRDs: validated against the v1 schema without its v1-only fields (deletionPolicy, healthCheckExprs); '
      + 'the fields dkp-fleet emits have the same shape in v1beta2 (docs/facts/flux-features.md §2)',
  },
];

/**
 * Values DKP's Cluster API accepts beyond the upstream CRDs here: added to the field's enum, and
 * the result says so.
 */
const FORK_VALUES: readonly {
  readonly apiVersion: string; readonly kind: string; readonly field: readonly string[]; readonly values: readonly string[]; readonly why: string;
}[] = [
  {
    apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
    kind: 'ClusterResourceSet',
    field: ['spec', 'strategy'],
    values: ['ApplyAlways'],
    // ../shared/reference/dkp-facts.md: mesosphere/cluster-api v1.1.3-d2iq.3 (DKP 2.2),
    // exp/addons/api/v1beta1/clusterresourceset_types.go (verified there)
    why: 'spec.strategy ApplyAlways is accepted: D2iQ\'s Cluster API fork (mesosphere/cluster-api v1.1.3-d2iq.3, DKP 2.2 and later) '
      + 'adds it to the upstream enum',
  },
];

/** `schema` with `values` added to the enum at `field` (a copy; the original is not changed). */
function withEnumValues(schema: SchemaNode, field: readonly string[], values: readonly string[]): SchemaNode {
  if (field.length === 0) return { ...schema, enum: [...(schema.enum ?? []), ...values.filter((v) => !(schema.enum ?? []).includes(v))] };
  const [head, ...rest] = field;
  const child = schema.properties?.[head];
  if (child === undefined) throw new Error(`internal: no field ${head} in the schema to add ${values.join(', ')} to`);
  return { ...schema, properties: { ...schema.properties, [head]: withEnumValues(child, rest, values) } };
}

const key = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort(byKey((e) => e.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * The schemas objects are validated against: every version of every CRD found in the given
 * files and folders (searched recursively), the core kinds (core-schemas.ts), and the borrowed
 * versions above.
 */
export class SchemaRegistry {
  /**
   * Loads every CustomResourceDefinition in `sources` (files or folders).
   *
   * @throws Error when a source is missing or a CRD has no schema
   */
  public static load(sources: readonly string[]): SchemaRegistry {
    const entries: SchemaEntry[] = [];
    for (const source of sources) {
      if (!fs.existsSync(source)) throw new Error(`no CRDs at ${source}: the folder or file is missing`);
      const files = fs.statSync(source).isDirectory() ? yamlFiles(source) : [source];
      for (const file of files) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
          const crd = doc.toJS();
          if (crd?.kind !== 'CustomResourceDefinition' || crd.apiVersion !== 'apiextensions.k8s.io/v1') continue;
          for (const v of crd.spec.versions ?? []) {
            const schema = v.schema?.openAPIV3Schema;
            if (schema === undefined) throw new Error(`${file}: ${crd.metadata.name} version ${v.name} has no openAPIV3Schema`);
            entries.push({
              apiVersion: `${crd.spec.group}/${v.name}`,
              kind: crd.spec.names.kind,
              schema,
              served: v.served === true,
              scope: crd.spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
              origin: file,
            });
          }
        }
      }
    }
    for (const [k, schema] of Object.entries(CORE_SCHEMAS)) {
      const i = k.lastIndexOf('/');
      const kind = k.slice(i + 1);
      entries.push({
        apiVersion: k.slice(0, i), kind, schema, served: true, scope: CLUSTER_SCOPED_CORE_KINDS.includes(kind) ? 'Cluster' : 'Namespaced',
        origin: 'Kubernetes API reference (src/validate-dist/core-schemas.ts)',
      });
    }
    return new SchemaRegistry(entries);
  }

  private readonly byKey = new Map<string, SchemaEntry>();

  public constructor(entries: readonly SchemaEntry[]) {
    for (const e of entries) this.byKey.set(key(e.apiVersion, e.kind), e);
    for (const f of FORK_VALUES) {
      const e = this.byKey.get(key(f.apiVersion, f.kind));
      if (e !== undefined) {
        this.byKey.set(key(f.apiVersion, f.kind), { ...e, schema: withEnumValues(e.schema, f.field, f.values), note: `${f.apiVersion} ${f.kind}: ${f.why}` });
      }
    }
    for (const b of BORROWED) {
      const from = this.byKey.get(key(b.from, b.kind));
      if (from !== undefined && !this.byKey.has(key(b.apiVersion, b.kind))) {
        this.byKey.set(key(b.apiVersion, b.kind), {
          ...from, apiVersion: b.apiVersion, note: `${b.apiVersion} ${b.kind}: ${b.why}`, removedSpecFields: b.removedSpecFields,
        });
      }
    }
  }

  /** The schema for an object's apiVersion and kind, or `undefined` when there is none. */
  public get(apiVersion: string, kind: string): SchemaEntry | undefined {
    return this.byKey.get(key(apiVersion, kind));
  }

  /** Every entry, sorted by apiVersion and kind. */
  public get entries(): SchemaEntry[] {
    return [...this.byKey.values()].sort(byKey((s) => key(s.apiVersion, s.kind)));
  }
}
