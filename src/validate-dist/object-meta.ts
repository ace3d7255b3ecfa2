import { SchemaNode } from './structural-schema';

/**
 * `metadata` of a top-level object, as JSON Schema (already closed). CRD schemas say only
 * `metadata: {type: object}` because the API server validates ObjectMeta itself; this checks
 * what it would: the ObjectMeta fields of the Kubernetes API reference (v1.32,
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/) and the
 * name rules of https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ and
 * .../labels/#syntax-and-character-set.
 */

/** RFC 1123 subdomain (object names, label key prefixes). */
const DNS_SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
/** Label/annotation key: optional `<dns subdomain>/` prefix, then a name of at most 63 characters. */
const QUALIFIED_NAME = `^(${DNS_SUBDOMAIN}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`;

const stringMap = (keyPattern: string, value: SchemaNode = { type: 'string' }): SchemaNode => ({
  type: 'object',
  propertyNames: { pattern: keyPattern, maxLength: 317 },
  additionalProperties: value,
});

/**
 * The rule for `metadata.name` of a kind: most kinds take a DNS subdomain; a Namespace a DNS
 * label; RBAC objects a path segment (`system:controller:x` is a valid ClusterRole name).
 */
export function nameSchema(apiVersion: string, kind: string): SchemaNode {
  if (apiVersion === 'v1' && kind === 'Namespace') return { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) return { type: 'string', minLength: 1, pattern: '^(?!\\.{1,2}$)[^/%]+$' };
  return { type: 'string', maxLength: 253, pattern: `^${DNS_SUBDOMAIN}$` };
}

export function objectMetaSchema(options: { readonly nameRequired: boolean; readonly name?: SchemaNode }): SchemaNode {
  return {
    type: 'object',
    additionalProperties: false,
    ...(options.nameRequired ? { required: ['name'] } : {}),
    properties: {
      name: options.name ?? { type: 'string', maxLength: 253, pattern: `^${DNS_SUBDOMAIN}$` },
      generateName: { type: 'string' },
      namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
      labels: stringMap(QUALIFIED_NAME, { type: 'string', maxLength: 63, pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' }),
      annotations: stringMap(QUALIFIED_NAME),
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string' },
            uid: { type: 'string' },
            controller: { type: 'boolean' },
            blockOwnerDeletion: { type: 'boolean' },
          },
        },
      },
      // Set by the API server; legal in a manifest, though a manifest in Git should not carry them.
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer' },
      creationTimestamp: { type: ['string', 'null'] },
      deletionTimestamp: { type: 'string' },
      deletionGracePeriodSeconds: { type: 'integer' },
      selfLink: { type: 'string' },
      managedFields: { type: 'array', items: { type: 'object' } },
    },
  };
}
