import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { protectedMetadata } from './capi-object';
import {
  BootstrapProvider, ControlPlaneProvider, CoreProvider, CoreProviderSpec, InfrastructureProvider,
} from '../../../imports/capi-operator-operator.cluster.x-k8s.io';
import { ProviderSpec } from '../../planner/layer';

/** Properties of a {@link CapiProvider}. */
export interface CapiProviderProps {
  readonly provider: ProviderSpec;
}

/**
 * A cluster-api-operator provider (operator.cluster.x-k8s.io/v1alpha2) at the release's
 * version: the declarative form of `dkp upgrade capi-components`. Changing `spec.version`
 * makes the operator replace the provider's components (keeping CRDs and objects).
 */
export class CapiProvider extends Construct {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: CapiProviderProps) {
    super(scope, id);
    const p = props.provider;
    const spec: CoreProviderSpec = {
      version: p.version,
      fetchConfig: 'url' in p.fetch
        ? { url: p.fetch.url }
        : { selector: { matchLabels: { 'provider-components': p.fetch.configMapLabel } } },
      // DKP runs D2iQ's builds of some providers; their components (if published) name
      // upstream images, so the manager image is set to the one DKP ships.
      ...(p.image ? { deployment: { containers: [{ name: 'manager', imageUrl: p.image }] } } : {}),
    };
    const metadata = protectedMetadata({ name: p.name, namespace: p.namespace });
    const props2 = { metadata, spec };
    switch (p.kind) {
      case 'CoreProvider': this.apiObject = new CoreProvider(this, 'Resource', props2); break;
      case 'BootstrapProvider': this.apiObject = new BootstrapProvider(this, 'Resource', props2); break;
      case 'ControlPlaneProvider': this.apiObject = new ControlPlaneProvider(this, 'Resource', props2); break;
      case 'InfrastructureProvider': this.apiObject = new InfrastructureProvider(this, 'Resource', props2); break;
    }
  }
}
