import { SchemaNode } from './structural-schema';

/**
 * Minimal schemas for the core Kubernetes kinds dkp-fleet may emit (ConfigMap, Secret,
 * Namespace, ServiceAccount, RBAC, Job), in the same structural-schema form as a CRD's
 * `openAPIV3Schema`, so they are closed the same way (structural-schema.ts) and unknown fields
 * are caught. ../shared/crds holds CRDs only; these are written from the Kubernetes API
 * reference, v1.32: https://kubernetes.io/docs/reference/kubernetes-api/
 *   config-and-storage-resources/config-map-v1/, .../secret-v1/,
 *   cluster-resources/namespace-v1/, authentication-resources/service-account-v1/,
 *   authorization-resources/{role,role-binding,cluster-role,cluster-role-binding}-v1/,
 *   workload-resources/job-v1/, .../pod-v1/ (PodSpec, Container).
 *
 * Every field of those types is listed where dkp-fleet could plausibly write it; deep types it
 * never writes (affinity, probes, lifecycle, volume sources) are open objects. `status` is
 * left out on purpose: a manifest in Git never carries it.
 */

const str: SchemaNode = { type: 'string' };
const int: SchemaNode = { type: 'integer' };
const bool: SchemaNode = { type: 'boolean' };
const strings: SchemaNode = { type: 'array', items: str };
const stringMap: SchemaNode = { type: 'object', additionalProperties: str };
/** An object whose fields dkp-fleet never writes: any content. */
const open: SchemaNode = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const intOrString: SchemaNode = { 'x-kubernetes-int-or-string': true };

function obj(properties: Record<string, SchemaNode>, required?: string[]): SchemaNode {
  return { type: 'object', properties, ...(required ? { required } : {}) };
}
const list = (items: SchemaNode): SchemaNode => ({ type: 'array', items });

/** A top-level object: apiVersion, kind, metadata (checked separately: object-meta.ts) and its fields. */
function topLevel(properties: Record<string, SchemaNode>, required?: string[]): SchemaNode {
  return obj({ apiVersion: str, kind: str, metadata: { type: 'object' }, ...properties }, required);
}

const localObjectReference = obj({ name: str });
const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: list(obj({ key: str, operator: str, values: strings }, ['key', 'operator'])),
});

const policyRule = obj({ apiGroups: strings, resources: strings, resourceNames: strings, verbs: strings, nonResourceURLs: strings }, ['verbs']);
const roleRef = obj({ apiGroup: str, kind: str, name: str }, ['apiGroup', 'kind', 'name']);
const subject = obj({ apiGroup: str, kind: str, name: str, namespace: str }, ['kind', 'name']);

const keySelector = obj({ key: str, name: str, optional: bool }, ['key']);
const envVar = obj({
  name: str,
  value: str,
  valueFrom: obj({
    configMapKeyRef: keySelector,
    secretKeyRef: keySelector,
    fieldRef: obj({ apiVersion: str, fieldPath: str }, ['fieldPath']),
    resourceFieldRef: obj({ containerName: str, divisor: intOrString, resource: str }, ['resource']),
  }),
}, ['name']);
const envFromSource = obj({
  prefix: str,
  configMapRef: obj({ name: str, optional: bool }),
  secretRef: obj({ name: str, optional: bool }),
});
const resources = obj({
  limits: { type: 'object', additionalProperties: intOrString },
  requests: { type: 'object', additionalProperties: intOrString },
  claims: list(obj({ name: str, request: str }, ['name'])),
});
const seccompProfile = obj({ type: str, localhostProfile: str }, ['type']);
const appArmorProfile = obj({ type: str, localhostProfile: str }, ['type']);
const seLinuxOptions = obj({ level: str, role: str, type: str, user: str });
const windowsOptions = obj({ gmsaCredentialSpec: str, gmsaCredentialSpecName: str, hostProcess: bool, runAsUserName: str });
const securityContext = obj({
  allowPrivilegeEscalation: bool,
  appArmorProfile,
  capabilities: obj({ add: strings, drop: strings }),
  privileged: bool,
  procMount: str,
  readOnlyRootFilesystem: bool,
  runAsGroup: int,
  runAsNonRoot: bool,
  runAsUser: int,
  seLinuxOptions,
  seccompProfile,
  windowsOptions,
});
const podSecurityContext = obj({
  appArmorProfile,
  fsGroup: int,
  fsGroupChangePolicy: str,
  runAsGroup: int,
  runAsNonRoot: bool,
  runAsUser: int,
  seLinuxChangePolicy: str,
  seLinuxOptions,
  seccompProfile,
  supplementalGroups: list(int),
  supplementalGroupsPolicy: str,
  sysctls: list(obj({ name: str, value: str }, ['name', 'value'])),
  windowsOptions,
});
const volumeMount = obj({
  mountPath: str, mountPropagation: str, name: str, readOnly: bool, recursiveReadOnly: str, subPath: str, subPathExpr: str,
}, ['mountPath', 'name']);
const container = obj({
  name: str,
  image: str,
  imagePullPolicy: str,
  command: strings,
  args: strings,
  workingDir: str,
  env: list(envVar),
  envFrom: list(envFromSource),
  ports: list(obj({ containerPort: int, hostIP: str, hostPort: int, name: str, protocol: str }, ['containerPort'])),
  resources,
  resizePolicy: list(obj({ resourceName: str, restartPolicy: str }, ['resourceName', 'restartPolicy'])),
  restartPolicy: str,
  securityContext,
  volumeMounts: list(volumeMount),
  volumeDevices: list(obj({ devicePath: str, name: str }, ['devicePath', 'name'])),
  livenessProbe: open,
  readinessProbe: open,
  startupProbe: open,
  lifecycle: open,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
  terminationMessagePath: str,
  terminationMessagePolicy: str,
}, ['name']);
/** Volume: a name and one source; the sources are open (dkp-fleet writes none of them yet). */
const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral',
  'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim',
  'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
];
const volume = obj({ name: str, ...Object.fromEntries(VOLUME_SOURCES.map((s) => [s, open])) }, ['name']);
const toleration = obj({ effect: str, key: str, operator: str, tolerationSeconds: int, value: str });
const podSpec = obj({
  activeDeadlineSeconds: int,
  affinity: open,
  automountServiceAccountToken: bool,
  containers: list(container),
  dnsConfig: open,
  dnsPolicy: str,
  enableServiceLinks: bool,
  ephemeralContainers: list(open),
  hostAliases: list(obj({ hostnames: strings, ip: str }, ['ip'])),
  hostIPC: bool,
  hostNetwork: bool,
  hostPID: bool,
  hostUsers: bool,
  hostname: str,
  imagePullSecrets: list(localObjectReference),
  initContainers: list(container),
  nodeName: str,
  nodeSelector: stringMap,
  os: obj({ name: str }, ['name']),
  overhead: { type: 'object', additionalProperties: intOrString },
  preemptionPolicy: str,
  priority: int,
  priorityClassName: str,
  readinessGates: list(obj({ conditionType: str }, ['conditionType'])),
  resourceClaims: list(open),
  resources,
  restartPolicy: str,
  runtimeClassName: str,
  schedulerName: str,
  schedulingGates: list(obj({ name: str }, ['name'])),
  securityContext: podSecurityContext,
  serviceAccount: str,
  serviceAccountName: str,
  setHostnameAsFQDN: bool,
  shareProcessNamespace: bool,
  subdomain: str,
  terminationGracePeriodSeconds: int,
  tolerations: list(toleration),
  topologySpreadConstraints: list(open),
  volumes: list(volume),
}, ['containers']);
const podTemplateMetadata = obj({ name: str, namespace: str, labels: stringMap, annotations: stringMap, generateName: str, finalizers: strings });

const jobSpec = obj({
  activeDeadlineSeconds: int,
  backoffLimit: int,
  backoffLimitPerIndex: int,
  completionMode: str,
  completions: int,
  managedBy: str,
  manualSelector: bool,
  maxFailedIndexes: int,
  parallelism: int,
  podFailurePolicy: open,
  podReplacementPolicy: str,
  selector: labelSelector,
  successPolicy: open,
  suspend: bool,
  template: obj({ metadata: podTemplateMetadata, spec: podSpec }),
  ttlSecondsAfterFinished: int,
}, ['template']);

/** Core kinds that are cluster-scoped (the others live in a namespace). */
export const CLUSTER_SCOPED_CORE_KINDS: readonly string[] = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];

/** Core kinds by `apiVersion/kind`. */
export const CORE_SCHEMAS: Readonly<Record<string, SchemaNode>> = {
  'v1/ConfigMap': topLevel({ data: stringMap, binaryData: stringMap, immutable: bool }),
  'v1/Secret': topLevel({ data: stringMap, stringData: stringMap, type: str, immutable: bool }),
  'v1/Namespace': topLevel({ spec: obj({ finalizers: strings }) }),
  'v1/ServiceAccount': topLevel({
    automountServiceAccountToken: bool,
    imagePullSecrets: list(localObjectReference),
    secrets: list(obj({ apiVersion: str, fieldPath: str, kind: str, name: str, namespace: str, resourceVersion: str, uid: str })),
  }),
  'rbac.authorization.k8s.io/v1/Role': topLevel({ rules: list(policyRule) }),
  'rbac.authorization.k8s.io/v1/ClusterRole': topLevel({
    rules: list(policyRule),
    aggregationRule: obj({ clusterRoleSelectors: list(labelSelector) }),
  }),
  'rbac.authorization.k8s.io/v1/RoleBinding': topLevel({ roleRef, subjects: list(subject) }, ['roleRef']),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': topLevel({ roleRef, subjects: list(subject) }, ['roleRef']),
  'batch/v1/Job': topLevel({ spec: jobSpec }, ['spec']),
};

/**
 * `kustomization.yaml` (kustomize.config.k8s.io/v1beta1 Kustomization): the fields dkp-fleet
 * writes, closed. Not a Kubernetes object (no metadata), so it is checked on its own.
 * Reference: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 */
export const KUSTOMIZE_CONFIG_SCHEMA: SchemaNode = obj({
  apiVersion: { type: 'string', enum: ['kustomize.config.k8s.io/v1beta1'] },
  kind: { type: 'string', enum: ['Kustomization'] },
  resources: { type: 'array', items: { type: 'string', minLength: 1 } },
}, ['apiVersion', 'kind', 'resources']);
