import { ApiObject, Testing } from 'cdk8s';
import { AppDeployment as RawAppDeployment } from '../../imports/kommander-apps.kommander.d2iq.io';
import { KommanderAppDeployment } from '../../src/constructs/kommander/kommander-app-deployment';
import { AppDeploymentSpec } from '../../src/planner/layer';

const APP: AppDeploymentSpec = { name: 'cert-manager', namespace: 'team-a', appRef: { kind: 'ClusterApp', name: 'cert-manager-1.7.1' } };

function build(app: AppDeploymentSpec, apiVersion?: string): { construct: KommanderAppDeployment; objects: any[] } {
  const chart = Testing.chart();
  const construct = new KommanderAppDeployment(chart, 'app', { app, apiVersion });
  return { construct, objects: Testing.synth(chart) };
}

describe('KommanderAppDeployment', () => {
  test('by default: the generated AppDeployment class at apps.kommander.d2iq.io/v1alpha2', () => {
    const { construct, objects } = build(APP);
    // cdk8s makes `instanceof ApiObject` true for any ApiObject subclass: compare constructors.
    expect(construct.apiObject.constructor).toBe(RawAppDeployment);
    expect(objects).toEqual([{
      apiVersion: 'apps.kommander.d2iq.io/v1alpha2',
      kind: 'AppDeployment',
      metadata: { name: 'cert-manager', namespace: 'team-a' },
      spec: { appRef: { kind: 'ClusterApp', name: 'cert-manager-1.7.1' } },
    }]);
  });

  test('the default apiVersion given explicitly also uses the generated class', () => {
    expect(build(APP, 'apps.kommander.d2iq.io/v1alpha2').construct.apiObject.constructor).toBe(RawAppDeployment);
  });

  test('another apiVersion: a plain ApiObject with that version and the same spec', () => {
    const app: AppDeploymentSpec = { name: 'gitea', namespace: 'project-1', appRef: { kind: 'App', name: 'gitea-6.1.0' }, configOverrides: 'gitea-overrides' };
    const other = build(app, 'apps.kommander.d2iq.io/v1alpha3');
    expect(other.construct.apiObject.constructor).toBe(ApiObject);
    expect(other.objects).toEqual([{
      apiVersion: 'apps.kommander.d2iq.io/v1alpha3',
      kind: 'AppDeployment',
      metadata: { name: 'gitea', namespace: 'project-1' },
      spec: { appRef: { kind: 'App', name: 'gitea-6.1.0' }, configOverrides: { name: 'gitea-overrides' } },
    }]);
    expect(other.objects[0].spec).toEqual(build(app).objects[0].spec);
  });

  test('configOverrides only when set', () => {
    expect(build(APP).objects[0].spec).not.toHaveProperty('configOverrides');
    expect(build({ ...APP, configOverrides: 'cert-manager-overrides' }).objects[0].spec.configOverrides).toEqual({ name: 'cert-manager-overrides' });
    expect(build({ ...APP, configOverrides: 'x' }, 'apps.kommander.d2iq.io/v1alpha3').objects[0].spec.configOverrides).toEqual({ name: 'x' });
  });
});
