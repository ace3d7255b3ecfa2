/**
 * Turns a Kubernetes structural schema (a CRD's `openAPIV3Schema`, OpenAPI 3.0 flavoured) into
 * a JSON Schema (draft-07) that ajv checks the way the API server would, plus unknown fields.
 *
 * Kubernetes semantics kept (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/,
 * "Specifying a structural schema" and "Field pruning"):
 * - an object node without `additionalProperties` is closed: the API server prunes every field
 *   its `properties` do not name (an object with no `properties` at all keeps nothing). Here a
 *   pruned field is an error: it would be silently lost, so it is a typo or a wrong API version;
 * - `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields *at that node only*: its
 *   specified `properties` are still pruned below it (the documentation's `json.spec` example);
 * - `x-kubernetes-int-or-string: true` accepts an integer or a string;
 * - `x-kubernetes-embedded-resource: true` allows `apiVersion`, `kind` and `metadata`;
 * - `nullable: true` accepts null;
 * - OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers.
 *
 * Not checked here: `format` (the API server is lenient with most formats too),
 * `x-kubernetes-list-type`/`-list-map-keys` uniqueness, and `x-kubernetes-validations` (CEL
 * rules: cel-rules.ts runs them). Value validations inside
 * `anyOf`/`allOf`/`oneOf`/`not` are kept, but never closed: in a structural schema they may
 * not declare types or fields of their own.
 */

/** A schema node, as found in a CRD (loosely typed: it is data). */
export type SchemaNode = Record<string, any>;

export interface ConvertOptions {
  /**
   * Drop every `required`: for partial objects applied with server-side apply onto an object
   * that already exists (see validate-object.ts).
   * @default false
   */
  readonly ignoreRequired?: boolean;
}

/** Keywords copied as they are: JSON Schema draft-07 means the same by them. */
const COPIED = new Set([
  'type', 'enum', 'pattern', 'maxLength', 'minLength', 'maximum', 'minimum', 'maxItems', 'minItems',
  'maxProperties', 'minProperties', 'multipleOf', 'uniqueItems',
]);

/** Annotations that change nothing in validation. */
const IGNORED = new Set([
  'description', 'title', 'example', 'externalDocs', 'default', 'format', 'nullable', 'exclusiveMinimum', 'exclusiveMaximum', 'required',
]);

const JUNCTORS = ['anyOf', 'allOf', 'oneOf'] as const;

/**
 * Converts one schema node (and everything below it).
 *
 * @param inJunctor the node is (inside) a branch of anyOf/allOf/oneOf/not: value validation only, never closed
 */
export function toJsonSchema(node: SchemaNode, options: ConvertOptions = {}, inJunctor = false): SchemaNode {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new Error(`not a schema node: ${JSON.stringify(node)}`);
  }
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (COPIED.has(key)) {
      out[key] = value;
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, SchemaNode>).map(([k, v]) => [k, toJsonSchema(v, options, inJunctor)]));
    } else if (key === 'items') {
      out.items = Array.isArray(value) ? value.map((v) => toJsonSchema(v, options, inJunctor)) : toJsonSchema(value, options, inJunctor);
    } else if (key === 'additionalProperties') {
      out.additionalProperties = typeof value === 'boolean' ? value : toJsonSchema(value, options, inJunctor);
    } else if ((JUNCTORS as readonly string[]).includes(key)) {
      out[key] = (value as SchemaNode[]).map((v) => toJsonSchema(v, options, true));
    } else if (key === 'not') {
      out.not = toJsonSchema(value, options, true);
    } else if (!IGNORED.has(key) && !key.startsWith('x-kubernetes-')) {
      throw new Error(`unsupported schema keyword "${key}"`);
    }
  }
  if (node.required !== undefined && !options.ignoreRequired) {
    out.required = node.required;
  }
  // OpenAPI 3.0: exclusiveMaximum is a flag on maximum; draft-07: a number of its own.
  for (const [flag, bound] of [['exclusiveMaximum', 'maximum'], ['exclusiveMinimum', 'minimum']] as const) {
    if (node[flag] === true && typeof node[bound] === 'number') {
      out[flag] = node[bound];
      delete out[bound];
    } else if (typeof node[flag] === 'number') {
      out[flag] = node[flag];
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (out.anyOf === undefined) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...(out.properties ?? {}),
    };
  }
  const isObject = out.type === 'object' || (out.type === undefined && out.properties !== undefined);
  if (isObject && !inJunctor && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else if (out.type === undefined) {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  return out;
}
