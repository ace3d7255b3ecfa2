import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { checkRules } from './cel-rules';
import { nameSchema, objectMetaSchema } from './object-meta';
import { SchemaError } from './schema-error';
import { SchemaEntry, SchemaRegistry } from './schema-registry';
import { SchemaNode, toJsonSchema } from './structural-schema';
import { show } from '../input/problems';
import { suggest } from '../input/schema';


export interface ObjectValidation {
  readonly errors: readonly SchemaError[];
  /** How the object was validated, when that is worth saying (borrowed or non-served schema, partial object). */
  readonly notes: readonly string[];
}

export const SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa';

/**
 * Is this a partial object, applied by server-side apply onto an object that already exists?
 * Flux applies objects annotated `kustomize.toolkit.fluxcd.io/ssa: Merge` (`merge` before
 * kustomize-controller v1.1.0) that way, keeping every field it does not set (DESIGN §3).
 */
export function isPartial(o: Record<string, any>): boolean {
  const v = o?.metadata?.annotations?.[SSA_ANNOTATION];
  return v === 'Merge' || v === 'merge';
}

/** `/spec/dependsOn/0/name` → `spec.dependsOn[0].name`; keys that are not identifiers are quoted. */
export function fieldPath(pointer: string, extra?: string): string {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) keys.push(extra);
  let out = '';
  for (const k of keys) {
    if (/^(0|[1-9]\d*)$/.test(k)) out += `[${k}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k)) out += out === '' ? k : `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function branchTypes(schemas: readonly SchemaNode[]): string {
  return schemas.map((s) => (Array.isArray(s.type) ? s.type.join(' or ') : s.type ?? 'a value matching its rules')).join(' or ');
}

/** One readable error per ajv error (branch errors of anyOf/oneOf are folded into their parent). */
function describe(errors: readonly ErrorObject[]): SchemaError[] {
  const out: SchemaError[] = [];
  for (const e of errors) {
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath) || (e as { propertyName?: string }).propertyName !== undefined) continue;
    const at = fieldPath(e.instancePath);
    const data = (e as { data?: unknown }).data;
    const p = e.params as Record<string, any>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const known = Object.keys((e.parentSchema as SchemaNode)?.properties ?? {});
        const hint = suggest(p.additionalProperty, known);
        out.push({
          path: fieldPath(e.instancePath, p.additionalProperty),
          message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; `
            + `${known.length > 0 ? `allowed fields: ${known.join(', ')}` : 'this object takes no fields'}`,
        });
        break;
      }
      case 'required':
        out.push({ path: fieldPath(e.instancePath, p.missingProperty), message: 'required field is missing' });
        break;
      case 'type':
        out.push({
          path: at,
          message: `expected ${Array.isArray(p.type) ? p.type.join(' or ') : p.type}, got ${typeOf(data)}`
            + `${data !== null && typeof data !== 'object' ? ` (${show(data)})` : ''}`,
        });
        break;
      case 'enum':
        out.push({ path: at, message: `${show(data)} is not allowed; allowed values: ${(p.allowedValues as unknown[]).map((v) => show(v)).join(', ')}` });
        break;
      case 'pattern':
        out.push({ path: at, message: `${show(data)} does not match ${p.pattern}` });
        break;
      case 'propertyNames':
        out.push({
          path: fieldPath(e.instancePath, p.propertyName),
          message: 'is not a valid key (a name of at most 63 characters, with an optional DNS subdomain prefix)',
        });
        break;
      case 'anyOf':
      case 'oneOf':
        out.push({
          path: at,
          message: `expected ${branchTypes((e.schema as SchemaNode[]) ?? [])}, got ${typeOf(data)}`
            + `${data !== null && typeof data !== 'object' ? ` (${show(data)})` : ''}`,
        });
        break;
      default:
        out.push({ path: at, message: `${data !== null && typeof data !== 'object' ? `${show(data)} ` : ''}${e.message ?? e.keyword}` });
    }
  }
  const seen = new Set<string>();
  return out.filter((x) => {
    const k = `${x.path}\u0000${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A namespaced object names its namespace (else it lands in whatever namespace applies it, and
 * output must not depend on that); a cluster-scoped one takes none.
 */
function scopeErrors(entry: SchemaEntry, o: Record<string, any>): SchemaError[] {
  const ns = o.metadata?.namespace;
  if (entry.scope === 'Namespaced' && (ns === undefined || ns === '')) {
    return [{
      path: 'metadata.namespace', message: `required: ${entry.kind} is namespaced, and an object without a namespace lands in whatever namespace applies it`,
    }];
  }
  if (entry.scope === 'Cluster' && ns !== undefined) {
    return [{ path: 'metadata.namespace', message: `${entry.kind} is cluster-scoped: it takes no namespace` }];
  }
  return [];
}

/**
 * Validates objects against the schemas of a {@link SchemaRegistry}: types, required fields
 * and unknown fields (structural-schema.ts), metadata (object-meta.ts). Compiled schemas are
 * cached per apiVersion, kind and mode.
 */
export class ObjectValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true, unicodeRegExp: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  public constructor(public readonly registry: SchemaRegistry) {}

  /** The JSON Schema an object of this entry is checked against (root metadata replaced by ObjectMeta). */
  public jsonSchema(entry: SchemaEntry, partial: boolean): SchemaNode {
    const schema = toJsonSchema(entry.schema, { ignoreRequired: partial });
    schema.properties = { ...(schema.properties ?? {}), metadata: objectMetaSchema({ nameRequired: true, name: nameSchema(entry.apiVersion, entry.kind) }) };
    schema.required = [...new Set([...(partial ? [] : schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    if (entry.removedSpecFields !== undefined && schema.properties.spec?.properties !== undefined) {
      const spec = { ...schema.properties.spec, properties: { ...schema.properties.spec.properties } };
      for (const f of entry.removedSpecFields) delete spec.properties[f];
      if (Array.isArray(spec.required)) spec.required = spec.required.filter((r: string) => !entry.removedSpecFields!.includes(r));
      schema.properties.spec = spec;
    }
    return schema;
  }

  /** The compiled validator for an entry (cached). */
  public compile(entry: SchemaEntry, partial: boolean): ValidateFunction {
    const k = `${entry.apiVersion}/${entry.kind}/${partial ? 'partial' : 'full'}`;
    let v = this.compiled.get(k);
    if (v === undefined) {
      v = this.ajv.compile(this.jsonSchema(entry, partial));
      this.compiled.set(k, v);
    }
    return v;
  }

  /** Validates one object; never throws for bad input. */
  public validate(o: unknown): ObjectValidation {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      return { errors: [{ path: '', message: `expected a Kubernetes object (a mapping), got ${typeOf(o)}` }], notes: [] };
    }
    const obj = o as Record<string, any>;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return { errors: [{ path: '', message: `has no apiVersion and kind (got ${show(obj.apiVersion)} and ${show(obj.kind)})` }], notes: [] };
    }
    const entry = this.registry.get(obj.apiVersion, obj.kind);
    if (entry === undefined) {
      return { errors: [{ path: '', message: `no schema for ${obj.apiVersion}/${obj.kind}` }], notes: [] };
    }
    const notes: string[] = [];
    if (entry.note !== undefined) notes.push(entry.note);
    if (!entry.served) {
      notes.push(`${entry.apiVersion} ${entry.kind}: not served by the CRD in ${entry.origin}; `
        + 'validated against that version\'s schema because the object uses it');
    }
    // A partial object (ssa: Merge) carries only the fields it sets (spec.version, ...); the
    // API server merges it into the existing object, which already has every required field.
    // Types and unknown fields are checked as usual; `required` is not, or every version
    // patch would fail for lack of fields that it deliberately leaves to their owners.
    const partial = isPartial(obj);
    if (partial) {
      notes.push(`${entry.apiVersion} ${entry.kind}: partial object (${SSA_ANNOTATION}: ${obj.metadata.annotations[SSA_ANNOTATION]}): `
        + 'required fields not enforced');
    }
    const validate = this.compile(entry, partial);
    const scope = scopeErrors(entry, obj);
    if (!validate(obj)) {
      return { errors: [...describe(validate.errors ?? []), ...scope], notes };
    }
    if (scope.length > 0) {
      return { errors: scope, notes };
    }
    // CEL rules run on whole objects only: on a partial one they would see none of the fields
    // it leaves to their owners; the API server runs them on the merged object.
    if (partial) {
      return { errors: [], notes };
    }
    const rules = checkRules(entry.schema, obj);
    for (const u of rules.unevaluated) notes.push(`${entry.apiVersion} ${entry.kind}: ${u.path === '' ? '' : `${u.path}: `}${u.message}`);
    return { errors: rules.errors, notes };
  }
}
