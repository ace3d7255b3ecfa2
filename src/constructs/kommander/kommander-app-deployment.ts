import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeployment as RawAppDeployment, AppDeploymentSpecAppRefKind, toJson_AppDeploymentSpec } from '../../../imports/kommander-apps.kommander.d2iq.io';
import { AppDeploymentSpec } from '../../planner/layer';

/** Properties of a {@link KommanderAppDeployment}. */
export interface KommanderAppDeploymentProps {
  readonly app: AppDeploymentSpec;
  /**
   * AppDeployment API version the release serves.
   * @default apps.kommander.d2iq.io/v1alpha2
   */
  readonly apiVersion?: string;
}

/**
 * A Kommander AppDeployment pointing at the release's ClusterApp or App: what Kommander reads
 * to install or upgrade an app (DESIGN §3). dkp-fleet writes these and nothing Kommander owns.
 */
export class KommanderAppDeployment extends Construct {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: KommanderAppDeploymentProps) {
    super(scope, id);
    const { app } = props;
    const apiVersion = props.apiVersion ?? RawAppDeployment.GVK.apiVersion;
    const spec = {
      appRef: { kind: app.appRef.kind as AppDeploymentSpecAppRefKind, name: app.appRef.name },
      ...(app.configOverrides ? { configOverrides: { name: app.configOverrides } } : {}),
    };
    const metadata = { name: app.name, namespace: app.namespace };
    this.apiObject = apiVersion === RawAppDeployment.GVK.apiVersion
      ? new RawAppDeployment(this, 'Resource', { metadata, spec })
      : new ApiObject(this, 'Resource', { apiVersion, kind: 'AppDeployment', metadata, spec: toJson_AppDeploymentSpec(spec) });
  }
}
