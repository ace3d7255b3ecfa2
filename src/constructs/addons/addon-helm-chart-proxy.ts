import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmChartProxy } from '../../../imports/caaph-addons.cluster.x-k8s.io';
import { CLUSTER_NAME_LABEL } from '../../catalog/api-versions';
import { HelmChartProxySpec } from '../../planner/layer';
import { protectedMetadata } from '../capi/capi-object';

/** Properties of an {@link AddonHelmChartProxy}. */
export interface AddonHelmChartProxyProps {
  readonly proxy: HelmChartProxySpec;
}

/**
 * One core addon of one cluster as a Cluster API Addon Provider Helm HelmChartProxy: pinned
 * chart and version, selecting exactly that cluster by the label DKP gives it. Helm waits for
 * the release's resources, so the proxy is Ready only once the addon runs.
 */
export class AddonHelmChartProxy extends Construct {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: AddonHelmChartProxyProps) {
    super(scope, id);
    const h = props.proxy;
    this.apiObject = new HelmChartProxy(this, 'Resource', {
      metadata: protectedMetadata({ name: h.name, namespace: h.namespace }),
      spec: {
        clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: h.cluster } },
        repoUrl: h.repoURL,
        chartName: h.chartName,
        version: h.version,
        releaseName: h.releaseName,
        namespace: h.releaseNamespace,
        ...(h.valuesTemplate !== undefined ? { valuesTemplate: h.valuesTemplate } : {}),
        options: { wait: true, install: { createNamespace: true } },
      },
    });
  }
}
