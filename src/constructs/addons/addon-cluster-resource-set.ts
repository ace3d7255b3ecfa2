import { ApiObject } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ClusterResourceSet, ClusterResourceSetSpecStrategy } from '../../../imports/capi-addons.cluster.x-k8s.io';
import { CLUSTER_NAME_LABEL } from '../../catalog/api-versions';
import { ClusterResourceSetSpec } from '../../planner/layer';
import { PRUNE_DISABLED, protectedMetadata } from '../capi/capi-object';

/** Properties of an {@link AddonClusterResourceSet}. */
export interface AddonClusterResourceSetProps {
  readonly set: ClusterResourceSetSpec;
}

/**
 * One core addon of one cluster the way DKP 2.2 delivers it: a ClusterResourceSet named
 * `<addon>-<cluster>` applying a ConfigMap of the same name (the user's manifests), selecting
 * exactly that cluster. DKP's sets use the D2iQ fork's `ApplyAlways` strategy (re-apply when
 * the ConfigMap changes); the strategy is immutable, so it must match the existing set's. The
 * addon's Secrets are never in the ConfigMap: the set names a Secret the user creates instead.
 */
export class AddonClusterResourceSet extends Construct {
  public readonly apiObject: ApiObject;
  /** @default - none: the addon's manifests are Secrets only */
  public readonly configMap?: ConfigMap;

  public constructor(scope: Construct, id: string, props: AddonClusterResourceSetProps) {
    super(scope, id);
    const s = props.set;
    const hasData = Object.keys(s.data).length > 0;
    if (hasData) {
      this.configMap = new ConfigMap(this, 'ConfigMap', {
        // The ConfigMap is what the set applies: deleting it would orphan the set, so it is protected too.
        metadata: { name: s.name, namespace: s.namespace, annotations: { ...PRUNE_DISABLED } },
        data: s.data,
      });
    }
    this.apiObject = new ClusterResourceSet(this, 'Resource', {
      metadata: protectedMetadata({ name: s.name, namespace: s.namespace }),
      spec: {
        clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: s.cluster } },
        resources: [
          ...(hasData ? [{ kind: 'ConfigMap' as never, name: s.name }] : []),
          ...(s.secret ? [{ kind: 'Secret' as never, name: s.secret.name }] : []),
        ],
        strategy: s.strategy as ClusterResourceSetSpecStrategy,
      },
    });
  }
}
