import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { accessFolder, AccessPlan, Identity } from '../../src/rbac/access-plan';
import { planAccess } from '../../src/rbac/plan-access';
import { identityObjects, rbacFiles } from '../../src/rbac/rbac-files';
import { outputFiles, planSynthesis, synthesize, SynthResult } from '../../src/synth';
import { baseFleet, ROOT, tempDir, writeFleet } from '../helpers';
import { authorizer } from './rbac-check';

const EXAMPLES = ['fleet.yaml', 'examples/single-management.yaml', 'examples/two-workspaces-waves.yaml', 'examples/clusterclass.yaml',
  'examples/kommander-mode.yaml'];

const exampleOf = (file: string): SynthResult => synthesize({ fleetFile: path.join(ROOT, file) });

/** Writes files under a fresh folder, as synthesis would. */
function writeOut(files: readonly { path: string; content: string }[]): string {
  const dir = tempDir();
  for (const f of files) {
    fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

/** The real `kubectl kustomize <folder>`: its documents, or its error. */
function kustomize(folder: string): { ok: true; docs: any[] } | { ok: false; error: string } {
  const r = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, error: r.stderr || String(r.error) };
  return { ok: true, docs: YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d !== null) };
}

const rbacFolders = (files: readonly { path: string }[]) =>
  [...new Set(files.filter((f) => f.path.startsWith('rbac/')).map((f) => f.path.split('/')[1]))].sort();

describe('rbacFiles', () => {
  test('one folder per identity: its ServiceAccount, a read and an apply Role per namespace bound to it, a kustomization.yaml listing them', () => {
    const identity: Identity = {
      cluster: 'mgmt',
      type: 'management',
      account: {
        name: 'dkp-fleet-x', namespace: 'flux-system', createNamespace: true, kubeConfigSecret: { name: 'mgmt-kubeconfig', namespace: 'flux-system' },
      },
      layers: ['mgmt-platform-apps'],
      reads: [
        { group: 'apps.kommander.d2iq.io', resource: 'clusterapps', kind: 'ClusterApp', verbs: ['get', 'list', 'watch'] },
        { namespace: 'kube-system', group: 'apps', resource: 'daemonsets', kind: 'DaemonSet', verbs: ['get', 'list', 'watch'] },
        { namespace: 'kube-system', group: 'apps', resource: 'deployments', kind: 'Deployment', verbs: ['get', 'list', 'watch'] },
        { namespace: 'team-a', group: '', resource: 'secrets', kind: 'Secret', verbs: ['get'], resourceNames: ['calico-mgmt'] },
      ],
      writes: [
        { namespace: 'kommander', group: 'apps.kommander.d2iq.io', resource: 'appdeployments', kind: 'AppDeployment', verbs: ['create', 'delete', 'patch'],
          resourceNames: ['cert-manager', 'traefik'] },
      ],
    };
    const access: AccessPlan = { fleet: 'x', management: 'mgmt', hub: true, identities: [identity], gates: [] };
    const files = rbacFiles(access);
    expect(files.map((f) => f.path)).toEqual([
      'rbac/mgmt/clusterrole.dkp-fleet-x-read.yaml',
      'rbac/mgmt/clusterrolebinding.dkp-fleet-x-read.yaml',
      'rbac/mgmt/kustomization.yaml',
      'rbac/mgmt/namespace.flux-system.yaml',
      'rbac/mgmt/role.kommander.dkp-fleet-x-apply.yaml',
      'rbac/mgmt/role.kube-system.dkp-fleet-x-read.yaml',
      'rbac/mgmt/role.team-a.dkp-fleet-x-read.yaml',
      'rbac/mgmt/rolebinding.kommander.dkp-fleet-x-apply.yaml',
      'rbac/mgmt/rolebinding.kube-system.dkp-fleet-x-read.yaml',
      'rbac/mgmt/rolebinding.team-a.dkp-fleet-x-read.yaml',
      'rbac/mgmt/serviceaccount.flux-system.dkp-fleet-x.yaml',
    ]);
    const text = (p: string) => files.find((f) => f.path === `rbac/mgmt/${p}`)!.content;
    const labels = '  labels:\n    app.kubernetes.io/part-of: dkp-fleet\n    app.kubernetes.io/instance: x\n    app.kubernetes.io/component: rbac\n';
    // one rule for the kinds of a group with the same verbs; a named rule stays alone
    expect(text('role.kube-system.dkp-fleet-x-read.yaml')).toBe('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n'
      + `  name: dkp-fleet-x-read\n  namespace: kube-system\n${labels}rules:\n  - apiGroups:\n      - apps\n`
      + '    resources:\n      - daemonsets\n      - deployments\n'
      + '    verbs:\n      - get\n      - list\n      - watch\n');
    expect(YAML.parse(text('role.team-a.dkp-fleet-x-read.yaml')).rules)
      .toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['calico-mgmt'], verbs: ['get'] }]);
    expect(YAML.parse(text('role.kommander.dkp-fleet-x-apply.yaml')).rules).toEqual([{
      apiGroups: ['apps.kommander.d2iq.io'], resources: ['appdeployments'], resourceNames: ['cert-manager', 'traefik'], verbs: ['create', 'delete', 'patch'],
    }]);
    expect(YAML.parse(text('rolebinding.kommander.dkp-fleet-x-apply.yaml'))).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'dkp-fleet-x-apply' },
      subjects: [{ kind: 'ServiceAccount', name: 'dkp-fleet-x', namespace: 'flux-system' }],
    });
    expect(YAML.parse(text('clusterrolebinding.dkp-fleet-x-read.yaml')).roleRef)
      .toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dkp-fleet-x-read' });
    // the namespace is created bare: it may exist with other things in it
    expect(text('namespace.flux-system.yaml')).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    expect(YAML.parse(text('kustomization.yaml')).resources).toEqual(files.map((f) => path.posix.basename(f.path)).filter((f) => f !== 'kustomization.yaml'));
    // without a namespace of its own (kommander mode) nor rules, a folder holds the ServiceAccount alone
    const account = { name: 'dkp-fleet-x', namespace: 'kommander-flux', createNamespace: false };
    const bare = identityObjects('x', { ...identity, account, reads: [], writes: [] });
    expect(bare.map((o) => o.file)).toEqual(['serviceaccount.kommander-flux.dkp-fleet-x.yaml']);
  });
});

describe('dist/rbac/ in the output', () => {
  test.each(EXAMPLES)('%s: every rbac/<cluster>/ builds with the real kubectl kustomize, into exactly the objects of its folder', (e) => {
    const r = exampleOf(e);
    const dir = writeOut(r.files);
    const access = planAccess(r.plan, r.gates);
    expect(rbacFolders(r.files)).toEqual(access.identities.map((i) => i.cluster).sort());
    for (const i of access.identities) {
      const built = kustomize(path.join(dir, accessFolder(i.cluster)));
      if (!built.ok) throw new Error(built.error);
      const files = r.files.filter((f) => f.path.startsWith(`${accessFolder(i.cluster)}/`) && !f.path.endsWith('/kustomization.yaml'));
      expect(built.docs.length).toBe(files.length);
      const kinds = new Set(built.docs.map((d) => d.kind));
      expect([...kinds].every((k) => ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(k))).toBe(true);
      // every binding binds the folder's ServiceAccount to a role of the folder
      const sa = built.docs.find((d) => d.kind === 'ServiceAccount');
      expect(sa.metadata).toMatchObject({ name: `dkp-fleet-${r.plan.fleet.name}`, namespace: i.account.namespace });
      for (const b of built.docs.filter((d) => d.kind.endsWith('Binding'))) {
        expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
        const role = built.docs.find((d) => d.kind === b.roleRef.kind && d.metadata.name === b.roleRef.name && d.metadata.namespace === b.metadata.namespace);
        expect(role).toBeDefined();
      }
      // the authorizer reads the built objects as the folder says
      const can = authorizer(built.docs, sa.metadata);
      for (const w of i.writes) {
        for (const n of w.resourceNames ?? []) expect(can({ verb: 'patch', group: w.group, resource: w.resource, namespace: w.namespace, name: n })).toBe(true);
      }
    }
  });

  test.each(EXAMPLES)('%s: Flux never applies rbac/: fleet/kustomization.yaml and no layer path reference it', (e) => {
    const r = exampleOf(e);
    const fleetKustomization = YAML.parse(r.files.find((f) => f.path === 'fleet/kustomization.yaml')!.content);
    expect(fleetKustomization.resources.filter((x: string) => x.includes('rbac') || x.includes('/'))).toEqual([]);
    const paths = r.files.filter((f) => f.path.startsWith('fleet/') && f.path !== 'fleet/kustomization.yaml')
      .map((f) => String(YAML.parse(f.content).spec.path));
    expect(paths.length).toBe(r.plan.layers.length);
    expect(paths.filter((p) => p.split('/').includes('rbac'))).toEqual([]);
    // and no layer folder is named rbac (a layer named so would be applied by Flux)
    expect(r.plan.layers.map((l) => l.name)).not.toContain('rbac');
  });

  test('synthesize and outputFiles write the same rbac/ files, sorted by path, the same on every run', () => {
    const fleetFile = writeFleet(baseFleet());
    const a = synthesize({ fleetFile });
    const streamed = [...outputFiles(planSynthesis({ fleetFile }))].filter((f) => f.path.startsWith('rbac/'));
    const inMemory = a.files.filter((f) => f.path.startsWith('rbac/'));
    expect(streamed).toEqual(inMemory);
    expect(inMemory.map((f) => f.path)).toEqual([...inMemory.map((f) => f.path)].sort());
    expect(inMemory.length).toBeGreaterThan(0);
    expect(synthesize({ fleetFile }).files.filter((f) => f.path.startsWith('rbac/'))).toEqual(inMemory);
    expect(rbacFolders(inMemory)).toEqual(['mgmt', 'prod-east']);
  });

  test('fails if a folder\'s kustomization.yaml lists a file the folder lacks: kubectl kustomize refuses it', () => {
    const r = synthesize({ fleetFile: writeFleet(baseFleet()) });
    const dir = writeOut(r.files);
    const folder = path.join(dir, 'rbac', 'prod-east');
    fs.rmSync(path.join(folder, fs.readdirSync(folder).find((f) => f.startsWith('role.'))!));
    const built = kustomize(folder);
    expect(built.ok).toBe(false);
    expect(!built.ok && built.error).toMatch(/role\./);
  });
});
