#!/usr/bin/env node
// Writes the built-in release catalog, src/catalog/releases/<version>.yaml (npm run catalog).
//
// Inputs:
//  - the reference tables in ../shared/reference (override with SHARED_DIR): platform apps and
//    their types per kommander-applications tag, HelmReleases per x.y.0 tag, catalog apps per tag;
//  - docs/facts/helmreleases-patch-tags.txt: HelmReleases at the patch tags (our extraction,
//    same columns as the reference table, sources in its header);
//  - the curated facts below, each with its source and status (verified / inferred). A fact
//    that is unknown is left out, and the tool says which fact is missing when it needs it.
// The output is reviewed and committed; test/catalog/catalog-facts.test.ts checks it against
// the reference tables whenever ../shared is present.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const shared = path.resolve(process.env.SHARED_DIR || path.join(root, '..', 'shared'));
const ref = (f) => fs.readFileSync(path.join(shared, 'reference', f), 'utf8');
const outdir = path.join(root, 'src', 'catalog', 'releases');

const RELEASES = [
  '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5',
  '2.2.0', '2.2.1', '2.2.2', '2.2.3',
  '2.3.0', '2.3.1', '2.3.2', '2.3.3',
  '2.4.0', '2.4.1', '2.4.2',
];

// Sources, cited by id in the generated files.
const SOURCES = {
  DOCS: 'mesosphere/dcos-docs-site @ f15c4d9cd8c36c8a406a22b76b825b49d9fe577d (published as docs.d2iq.com/dkp/<kommander|konvoy>/<2.1|2.2|2.3>/...)',
  KA: 'mesosphere/kommander-applications @ tag v<release> (services/<app>/<version>/, services/<app>/metadata.yaml)',
  CAT: 'mesosphere/dkp-catalog-applications @ tag v<release> (services/<app>/<version>/)',
  FLUX2: 'fluxcd/flux2 @ tag v<kommander-flux version> (manifests/bases/<controller>/kustomization.yaml), cross-checked with the images in KA services/kommander-flux/<version>/templates/',
};

// Kubernetes per DKP minor. Patch releases keep their minor's range (inferred: no patch
// release notes change it).
const KUBERNETES = {
  '2.1': {
    supported: '>=1.21.6 <1.22.0',
    default: { '*': '1.21.6' },
    source: 'DOCS pages/dkp/konvoy/2.1/release-notes/2.1.0/index.md: minimum 1.21.6, maximum 1.21.x, default 1.21.6 (verified)',
  },
  '2.2': {
    supported: '>=1.21.0 <1.23.0',
    default: { '*': '1.22.8' },
    source: 'DOCS pages/dkp/konvoy/2.2/release-notes/2.2.0/index.md: 1.21.0 to 1.22.x, default 1.22.8 (verified)',
  },
  '2.3': {
    supported: '>=1.21.0 <1.24.0',
    // Only the CLI reference regenerated from v2.3.2-rc.2 states a default; 2.3.0, 2.3.1 and 2.3.3 are unknown.
    default: { '2.3.2': '1.23.12' },
    source: 'DOCS pages/dkp/konvoy/2.3/release-notes/2.3.0/index.md: 1.21.0 to 1.23.x (verified-draft: the 2.3 notes are a pre-release draft); '
      + 'default 1.23.12 from DOCS pages/dkp/kommander/2.3/cli/dkp/create/cluster/aws/index.md, generated from the v2.3.2-rc.2 CLI (verified for 2.3.2 only)',
  },
  // 2.4: no stored source states its Kubernetes versions (unknown).
};

// Releases each release can be upgraded from, as a semver range.
function upgradeFrom(v) {
  const [, minor, patch] = v.split('.').map(Number);
  const samePatchesBelow = patch > 0 ? `>=2.${minor}.0 <${v}` : undefined;
  const previousMinor = `>=2.${minor - 1}.0 <2.${minor}.0`;
  switch (v) {
    case '2.1.0':
      return { range: '<0.0.0', source: 'DOCS: 2.1 is reached from Konvoy 1.8 / Kommander 1.x (dkp adopt, kommander migrate), outside dkp-fleet (verified)' };
    case '2.1.1':
      return { range: '<0.0.0', source: 'DOCS pages/dkp/kommander/2.2/dkp-upgrade/index.md @ a40b896c72: upgrade path table lists 2.1.0 -> 2.1.1 as "No" (verified)' };
    case '2.2.0':
      return { range: '>=2.1.0 <=2.1.1', source: 'DOCS pages/dkp/kommander/2.2/dkp-upgrade/index.md @ a40b896c72: 2.1.0 and 2.1.1 -> 2.2.0 (verified)' };
    default:
      break;
  }
  if (minor === 1) {
    return { range: samePatchesBelow, source: 'inferred: patch releases of one minor upgrade in order (kommander-applications upgrade-matrix.yaml tests X.Y.z -> X.Y.latest)' };
  }
  const verified = minor === 3
    ? 'DOCS pages/dkp/kommander/2.3/dkp-upgrade/upgrade-kommander/index.md: "Ensure you are on DKP version 2.2.x" (verified-draft)'
    : minor === 2
      ? 'DOCS pages/dkp/kommander/2.2/dkp-upgrade/upgrade-kommander/index.md: "Ensure you are on DKP version 2.1 or 2.1.1" (verified)'
      : 'inferred: one DKP minor at a time (kommander-applications upgrade-matrix.yaml tests X.Y.z -> X.(Y+1).latest)';
  return {
    range: [previousMinor, samePatchesBelow].filter(Boolean).join(' || '),
    source: `${verified}; from earlier patches of the same minor: inferred (upgrade-matrix.yaml tests X.Y.z -> X.Y.latest)`,
  };
}

// kommander-flux (a fluxcd/flux2 distribution) -> controller versions. Source FLUX2 (verified).
const FLUX_CONTROLLERS = {
  '0.23.0': { kustomizeController: 'v0.18.0', helmController: 'v0.13.0', sourceController: 'v0.18.0' },
  '0.27.4': { kustomizeController: 'v0.21.1', helmController: 'v0.17.2', sourceController: 'v0.21.2' },
  '0.29.5': { kustomizeController: 'v0.24.4', helmController: 'v0.20.1', sourceController: 'v0.24.3' },
  '0.31.3': { kustomizeController: 'v0.26.2', helmController: 'v0.22.1', sourceController: 'v0.25.9' },
  '0.31.4': { kustomizeController: 'v0.26.3', helmController: 'v0.22.2', sourceController: 'v0.25.10' },
  '0.36.0': { kustomizeController: 'v0.30.0', helmController: 'v0.26.0', sourceController: 'v0.31.0' },
  '0.37.0': { kustomizeController: 'v0.31.0', helmController: 'v0.27.0', sourceController: 'v0.32.1' },
};

// Platform apps Kommander deploys by default in a (non-management) workspace.
// DOCS pages/dkp/kommander/<2.1|2.2|2.3>/workspaces/applications/platform-applications/index.md,
// "Deployed by default: True" (verified; 2.1 lists gatekeeper as False, but the 2.1 requirements page and
// KA v2.1.0 services/kommander/0.1.0/defaults/cm.yaml `attached.prerequisites.gatekeeper.enabled: true` say it is
// deployed: inferred True). kube-oidc-proxy and traefik-forward-auth are left out: "Kommander automatically
// manages the deployment of traefik-forward-auth and kube-oidc-proxy when clusters are attached" (same pages).
// From 2.2, KA services/kommander/<dir>/defaults/cm.yaml `attached.prerequisites.defaultApps` (verified) adds the
// internal helpers below; 2.4 has no DOCS table, so its set is that key alone.
const DOCS_WORKSPACE_DEFAULTS = ['cert-manager', 'gatekeeper', 'kube-prometheus-stack', 'kubecost', 'kubernetes-dashboard', 'prometheus-adapter', 'reloader', 'traefik'];
const KA_DEFAULT_APPS = ['cert-manager', 'gatekeeper', 'karma-traefik', 'kommander-flux', 'kube-prometheus-stack', 'kubecost', 'kubecost-thanos-traefik',
  'kubernetes-dashboard', 'prometheus-adapter', 'prometheus-thanos-traefik', 'reloader', 'traefik'];
function workspaceDefaults(minor) {
  if (minor === 1) return { apps: DOCS_WORKSPACE_DEFAULTS, source: 'DOCS 2.1 platform-applications table (verified; gatekeeper inferred, see generator)' };
  if (minor === 4) return { apps: KA_DEFAULT_APPS, source: 'KA services/kommander/<dir>/defaults/cm.yaml attached.prerequisites.defaultApps (verified)' };
  return {
    apps: [...new Set([...DOCS_WORKSPACE_DEFAULTS, ...KA_DEFAULT_APPS])].sort(),
    source: `DOCS 2.${minor} platform-applications table "Deployed by default" (verified) + KA services/kommander/<dir>/defaults/cm.yaml attached.prerequisites.defaultApps (verified)`,
  };
}

// Kubernetes support of DKP catalog apps. DOCS pages/dkp/kommander/<2.2|2.3>/workspaces/applications/
// catalog-applications/dkp-applications/index.md "Supported Kubernetes version" (verified; the tested range).
// 2.1 has no such column: its app versions are the same as 2.2's oldest, so the 2.2 values apply (inferred).
// 2.4 has no DOCS page: CAT v2.4.0 services/<app>/<version>/metadata.yaml k8sVersionSupport (verified).
const CATALOG_KUBERNETES = {
  1: { 'kafka-operator/0.20.0': '>=1.21.0 <1.22.0', 'spark-operator/1.1.6': '>=1.21.0 <1.22.0', 'zookeeper-operator/0.2.13': '>=1.21.0 <1.23.0' },
  2: {
    'kafka-operator/0.20.0': '>=1.21.0 <1.22.0', 'kafka-operator/0.20.2': '>=1.21.0 <1.23.0', 'spark-operator/1.1.6': '>=1.21.0 <1.22.0',
    'spark-operator/1.1.17': '>=1.21.0 <1.23.0', 'zookeeper-operator/0.2.13': '>=1.21.0 <1.23.0',
  },
  3: {
    'kafka-operator/0.20.0': '>=1.21.0 <1.22.0', 'kafka-operator/0.20.2': '>=1.21.0 <1.24.0', 'spark-operator/1.1.6': '>=1.21.0 <1.22.0',
    'spark-operator/1.1.17': '>=1.21.0 <1.24.0', 'zookeeper-operator/0.2.13': '>=1.21.0 <1.24.0',
  },
  4: {
    'kafka-operator/0.20.0': '>=1.19.0', 'kafka-operator/0.20.2': '>=1.20.0', 'spark-operator/1.1.6': '>=1.19.0 <1.22.0',
    'spark-operator/1.1.17': '>=1.20.0', 'zookeeper-operator/0.2.13': '>=1.20.0',
  },
};
const CATALOG_KUBERNETES_SOURCE = {
  1: 'DOCS 2.2 dkp-applications "Supported Kubernetes version" for the same app versions (inferred for 2.1: its page has no column)',
  2: 'DOCS pages/dkp/kommander/2.2/workspaces/applications/catalog-applications/dkp-applications/index.md (verified)',
  3: 'DOCS pages/dkp/kommander/2.3/workspaces/applications/catalog-applications/dkp-applications/index.md (verified)',
  4: 'CAT v2.4.0 services/<app>/<version>/metadata.yaml k8sVersionSupport (verified)',
};

// Cluster API providers (cluster-api-operator names and namespaces). Versions and images: the DKP image
// lists DOCS pages/dkp/konvoy/<2.1|2.2>/image-builder/override-files/create-custom-or-files/container-image-or-files/index.md
// (verified; the lists name KIB v1.5.0 / v1.11.0, the x.y.0 builds, so they are taken for 2.1.0 and 2.2.0 only) and
// the release notes where they name a version. Namespaces: DOCS pages/dkp/konvoy/2.2/choose-infrastructure/aws/advanced/
// bootstrap/index.md (verified). Components URLs: konvoy-components.md §3, verified tags in the providers' repositories;
// the D2iQ builds (CAPI fork, CAPA, CAPPP) have no URL whose release assets are known to exist, so they have none.
const P = {
  capi044: {
    core: { name: 'cluster-api', version: 'v0.4.4', namespace: 'capi-system', url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/core-components.yaml' },
    bootstrap: { name: 'kubeadm', version: 'v0.4.4', namespace: 'capi-kubeadm-bootstrap-system', url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/bootstrap-components.yaml' },
    controlPlane: { name: 'kubeadm', version: 'v0.4.4', namespace: 'capi-kubeadm-control-plane-system', url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/control-plane-components.yaml' },
  },
  capiFork113: {
    core: { name: 'cluster-api', version: 'v1.1.3-d2iq.3', namespace: 'capi-system', image: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3' },
    bootstrap: { name: 'kubeadm', version: 'v1.1.3-d2iq.3', namespace: 'capi-kubeadm-bootstrap-system', image: 'docker.io/mesosphere/kubeadm-bootstrap-controller:v1.1.3-d2iq.3' },
    controlPlane: { name: 'kubeadm', version: 'v1.1.3-d2iq.3', namespace: 'capi-kubeadm-control-plane-system', image: 'docker.io/mesosphere/kubeadm-control-plane-controller:v1.1.3-d2iq.3' },
  },
  capz053: { name: 'azure', version: 'v0.5.3', namespace: 'capz-system', url: 'https://github.com/kubernetes-sigs/cluster-api-provider-azure/releases/v0.5.3/infrastructure-components.yaml' },
  capz111: { name: 'azure', version: 'v1.1.1', namespace: 'capz-system', url: 'https://github.com/kubernetes-sigs/cluster-api-provider-azure/releases/v1.1.1/infrastructure-components.yaml' },
  capz131: { name: 'azure', version: 'v1.3.1', namespace: 'capz-system', url: 'https://github.com/kubernetes-sigs/cluster-api-provider-azure/releases/v1.3.1/infrastructure-components.yaml' },
  capv111: { name: 'vsphere', version: 'v1.1.1', namespace: 'capv-system', url: 'https://github.com/kubernetes-sigs/cluster-api-provider-vsphere/releases/v1.1.1/infrastructure-components.yaml' },
  capa071d2iq: { name: 'aws', version: 'v0.7.1-d2iq.0', namespace: 'capa-system', image: 'docker.io/mesosphere/cluster-api-aws-controller:v0.7.1-d2iq.0' },
  cappp040: { name: 'preprovisioned', version: 'v0.4.0', namespace: 'cappp-system', image: 'docker.io/mesosphere/cluster-api-preprovisioned-controller:v0.4.0' },
  cappp062: { name: 'preprovisioned', version: 'v0.6.2', namespace: 'cappp-system' },
  cappp083: { name: 'preprovisioned', version: 'v0.8.3', namespace: 'cappp-system' },
};
const PROVIDERS = {
  '2.1.0': { source: 'DOCS konvoy 2.1 image list (verified)', core: P.capi044, infrastructure: { aws: P.capa071d2iq, azure: P.capz053, preprovisioned: P.cappp040 } },
  '2.1.1': { source: 'DOCS pages/dkp/konvoy/2.1/release-notes/2.1.1/index.md: "Cluster API Preprovisioned Provider v0.4.0" (verified); the rest unknown', infrastructure: { preprovisioned: P.cappp040 } },
  '2.2.0': { source: 'DOCS konvoy 2.2 image list (verified; AWS lists only the pre-release v1.4.0-d2iq.0-rc1, so aws is unknown)', core: P.capiFork113, infrastructure: { azure: P.capz111, vsphere: P.capv111, preprovisioned: P.cappp062 } },
  '2.2.2': { source: 'DOCS release notes 2.2.2: CAPZVersion v1.3.1, CAPPPVersion v0.8.3 (Kommander 2.2.2 notes) (verified); the rest unknown', infrastructure: { azure: P.capz131, preprovisioned: P.cappp083 } },
  '2.2.3': { source: 'DOCS pages/dkp/konvoy/2.2/release-notes/2.2.3/index.md: CAPZVersion v1.3.1 (verified); CAPPP is v0.8.3 or v0.8.4 depending on the page (left out); the rest unknown', infrastructure: { azure: P.capz131 } },
};

// Core addons per infrastructure provider. Versions: the 2.1 release notes and image list, the 2.2 image list
// (verified; taken for 2.1.0 and 2.2.0 only, like the providers). Which addons each provider gets: the per-cluster
// ClusterResourceSet names of DOCS pages/dkp/kommander/2.2/dkp-upgrade/upgrade-konvoy/enterprise/index.md and the
// azure/pre-provisioned create pages (verified for 2.2 aws, azure, preprovisioned); vSphere and all of 2.1: inferred
// from the image lists and the addon names. Chart coordinates: konvoy-components.md §1 (read in each chart's Helm
// repository index; verified), the highest chart version whose appVersion is the addon version; `chart` absent where
// no usable chart exists. releaseNamespace: the namespace each chart's own install instructions use (inferred).
const C = {
  calico3202: { name: 'calico', version: '3.20.2', releaseNamespace: 'tigera-operator', chart: { repoURL: 'https://docs.tigera.io/calico/charts', name: 'tigera-operator', version: 'v3.20.2' } },
  calico3221: { name: 'calico', version: '3.22.1', releaseNamespace: 'tigera-operator', chart: { repoURL: 'https://docs.tigera.io/calico/charts', name: 'tigera-operator', version: 'v3.22.1' } },
  ebs140: { name: 'aws-ebs-csi', version: '1.4.0', releaseNamespace: 'kube-system', chart: { repoURL: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver', name: 'aws-ebs-csi-driver', version: '2.4.1' } },
  ebs151: { name: 'aws-ebs-csi', version: '1.5.1', releaseNamespace: 'kube-system', chart: { repoURL: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver', name: 'aws-ebs-csi-driver', version: '2.6.4' } },
  // v1.8.0 was deleted from the chart index (kubernetes-sigs/azuredisk-csi-driver 8332c59342): no usable chart.
  azuredisk180: { name: 'azure-disk-csi', version: '1.8.0', releaseNamespace: 'kube-system' },
  azuredisk1150: { name: 'azure-disk-csi', version: '1.15.0', releaseNamespace: 'kube-system', chart: { repoURL: 'https://raw.githubusercontent.com/kubernetes-sigs/azuredisk-csi-driver/master/charts', name: 'azuredisk-csi-driver', version: 'v1.15.0' } },
  vspherecsi250: { name: 'vsphere-csi', version: '2.5.0', releaseNamespace: 'vmware-system-csi', chart: { repoURL: 'https://vsphere-tmm.github.io/helm-charts', name: 'vsphere-csi', version: '2.1.0' } },
  vspherecpi1225: { name: 'vsphere-cpi', version: '1.22.5', releaseNamespace: 'kube-system', chart: { repoURL: 'https://vsphere-tmm.github.io/helm-charts', name: 'vsphere-cpi', version: '1.3.0' } },
  // No published chart has appVersion 2.4.0 (lowest: chart 1.0.0 -> 2.5.0).
  lvp240: { name: 'local-volume-provisioner', version: '2.4.0', releaseNamespace: 'kube-system' },
  // Charts 9.10.x carry 1.21.0 but no cloudProvider=clusterapi support (first in 9.15.0), which DKP uses.
  autoscaler1210: { name: 'cluster-autoscaler', version: '1.21.0', releaseNamespace: 'kube-system' },
  autoscaler1230: { name: 'cluster-autoscaler', version: '1.23.0', releaseNamespace: 'kube-system', chart: { repoURL: 'https://kubernetes.github.io/autoscaler', name: 'cluster-autoscaler', version: '9.24.0' } },
  nfd082: { name: 'node-feature-discovery', version: '0.8.2', releaseNamespace: 'node-feature-discovery', chart: { repoURL: 'https://kubernetes-sigs.github.io/node-feature-discovery/charts', name: 'node-feature-discovery', version: '0.8.2' } },
  nfd0101: { name: 'node-feature-discovery', version: '0.10.1', releaseNamespace: 'node-feature-discovery', chart: { repoURL: 'https://kubernetes-sigs.github.io/node-feature-discovery/charts', name: 'node-feature-discovery', version: '0.10.1' } },
  gfd041: { name: 'nvidia-feature-discovery', version: '0.4.1', releaseNamespace: 'node-feature-discovery', chart: { repoURL: 'https://nvidia.github.io/gpu-feature-discovery', name: 'gpu-feature-discovery', version: '0.4.1' } },
  metallb0121: { name: 'metallb', version: '0.12.1', releaseNamespace: 'metallb-system', chart: { repoURL: 'https://metallb.github.io/metallb', name: 'metallb', version: '0.12.1' } },
};
const ADDONS = {
  '2.1.0': {
    aws: [C.calico3202, C.ebs140, C.autoscaler1210, C.nfd082, C.gfd041],
    azure: [C.calico3202, C.azuredisk180, C.autoscaler1210, C.nfd082, C.gfd041],
    preprovisioned: [C.calico3202, C.lvp240, C.nfd082, C.gfd041],
  },
  '2.2.0': {
    aws: [C.calico3221, C.ebs151, C.autoscaler1230, C.nfd0101, C.gfd041],
    azure: [C.calico3221, C.azuredisk1150, C.autoscaler1230, C.nfd0101, C.gfd041],
    preprovisioned: [C.calico3221, C.lvp240, C.nfd0101, C.gfd041, C.metallb0121],
    vsphere: [C.calico3221, C.vspherecsi250, C.vspherecpi1225, C.nfd0101, C.gfd041],
  },
};
// ClusterResourceSet strategy of DKP's per-cluster sets: ApplyAlways, a D2iQ fork addition present from
// mesosphere/cluster-api v1.1.3-d2iq.3 (DKP 2.2; verified); that dkp uses it for the per-cluster sets is inferred.
// 2.1 used global, label-selected sets with ApplyOnce (DOCS konvoy 2.1 aws advanced bootstrap; verified).
function crsStrategy(minor) {
  return minor === 1 ? 'ApplyOnce' : 'ApplyAlways';
}

function renderProvider(L, indent, key, p) {
  const fields = [`name: ${q(p.name)}`, `version: ${q(p.version)}`, `namespace: ${q(p.namespace)}`];
  if (p.url) fields.push(`url: ${q(p.url)}`);
  if (p.image) fields.push(`image: ${q(p.image)}`);
  L(`${indent}${key}: {${fields.join(', ')}}`);
}

// ---------------------------------------------------------------------------------------

/** `== vX.Y.Z ...` sections of a reference table, as {tag: [lines]}. */
function sections(text) {
  const out = {};
  let current;
  for (const line of text.split('\n')) {
    const m = /^== v(\S+)/.exec(line);
    if (m) {
      current = m[1];
      out[current] = out[current] || [];
    } else if (current && line.trim() !== '' && !line.startsWith('#')) {
      out[current].push(line);
    }
  }
  return out;
}

function parseApps() {
  const out = {};
  for (const [tag, lines] of Object.entries(sections(ref('kommander-applications-apps-by-tag.txt')))) {
    out[tag] = {};
    for (const line of lines) {
      const m = /^(\S+) (\S+) type=(\S+) scope=\[([^\]]*)\]/.exec(line);
      if (!m) throw new Error(`unexpected line in apps table: ${line}`);
      out[tag][m[1]] = { version: m[2], type: m[3], scope: m[4].trim().split(/\s+/) };
    }
  }
  return out;
}

function parseHelmReleases() {
  const out = {};
  const add = (text) => {
    for (const [tag, lines] of Object.entries(sections(text))) {
      out[tag] = out[tag] || [];
      for (const line of lines) {
        const [appDir, name, chart, version] = line.trim().split(/\s+/);
        if (name.includes('${')) continue; // created by Kommander controllers at run time
        const [app, dir] = appDir.split('/');
        const m = /^\$\{[A-Za-z]+:=(.+)\}$/.exec(version);
        const chartVersion = m ? m[1] : version.includes('${') ? undefined : version;
        out[tag].push({ app, dir, name, chart, chartVersion });
      }
    }
  };
  add(ref('kommander-applications-helmreleases-by-tag.txt'));
  add(fs.readFileSync(path.join(root, 'docs', 'facts', 'helmreleases-patch-tags.txt'), 'utf8'));
  return out;
}

function parseCatalogApps() {
  const out = {};
  for (const [tag, lines] of Object.entries(sections(ref('dkp-catalog-applications-by-tag.txt')))) {
    out[tag] = {};
    for (const line of lines) {
      const [app, ...versions] = line.trim().split(/:?\s+/);
      out[tag][app.replace(/:$/, '')] = versions.filter(Boolean);
    }
  }
  return out;
}

const q = (s) => JSON.stringify(s);

function render(v, apps, helmReleases, catalogApps) {
  const minor = Number(v.split('.')[1]);
  const tagApps = apps[v];
  if (!tagApps) throw new Error(`no apps for ${v}`);
  const kommanderDir = tagApps.kommander.version;
  const hrs = helmReleases[v] || [];
  const kommanderHr = hrs.find((h) => h.app === 'kommander' && h.name === 'kommander');
  const flux = tagApps['kommander-flux'].version;
  const controllers = FLUX_CONTROLLERS[flux];
  if (!controllers) throw new Error(`no controller versions for kommander-flux ${flux}`);
  const k8s = KUBERNETES[`2.${minor}`];
  const path_ = upgradeFrom(v);
  // The catalog table has no v2.1.0 tag; 2.1.0 shipped the same catalog as v2.1.1 (DOCS 2.1 dkp-applications page).
  const cat = catalogApps[v] || (v === '2.1.0' ? catalogApps['2.1.1'] : undefined);
  const defaults = workspaceDefaults(minor);
  const lines = [];
  const L = (s = '') => lines.push(s);
  L(`# DKP ${v}: the facts dkp-fleet needs to upgrade a fleet to this release.`);
  L('# Generated by scripts/generate-catalog.js from the sources below; do not edit by hand.');
  L('# Facts not found in any source are left out; dkp-fleet names a missing fact when it needs it.');
  L('# Sources:');
  for (const [id, s] of Object.entries(SOURCES)) L(`#   ${id}: ${s.replace(/<release>/g, v)}`);
  L(`apiVersion: dkp-fleet/v1alpha1`);
  L(`kind: Release`);
  L(`version: ${q(v)}`);
  L(`# ${path_.source}`);
  L(`upgradeFrom: ${q(path_.range)}`);
  if (k8s) {
    L(`# ${k8s.source}`);
    L('kubernetes:');
    L(`  supported: ${q(k8s.supported)}`);
    const def = k8s.default[v] ?? k8s.default['*'];
    if (def) L(`  default: ${q(def)}`);
  } else {
    L('# kubernetes: unknown (no stored source states the Kubernetes versions of this release)');
  }
  L('# KA services/kommander/<appVersion>/kommander.yaml (verified). chartVersion is the default of');
  L('# ${kommanderChartVersion:=...} in that file; 2.1.x uses ${chartVersion} with no default (unknown).');
  L('kommander:');
  L(`  applicationsRef: ${q(`v${v}`)}`);
  L(`  appVersion: ${q(kommanderDir)}`);
  if (kommanderHr && kommanderHr.chartVersion) L(`  chartVersion: ${q(kommanderHr.chartVersion)}`);
  L('  # DOCS pages/dkp/kommander/<2.1|2.2|2.3>/workspaces/applications/appdeployments/index.md (verified for 2.1-2.3;');
  L('  # 2.4: no stored source names another version, inferred unchanged)');
  L(`  appDeploymentApiVersion: ${q('apps.kommander.d2iq.io/v1alpha2')}`);
  L(`# kommander-flux ${flux} (KA services/kommander-flux/${flux}, verified) = flux2 v${flux}: FLUX2 (verified)`);
  L('flux:');
  L(`  distribution: ${q(flux)}`);
  for (const [k, val] of Object.entries(controllers)) L(`  ${k}: ${q(val)}`);
  L(`# Every ClusterApp of the release: KA services/<app>/<version>/ with metadata.yaml type and scope (verified).`);
  L('# helmReleases: the HelmReleases each app renders (name, chart, chart version; verified in KA at this tag);');
  L('# absent where the app renders none or they were not extracted.');
  L('platformApps:');
  for (const app of Object.keys(tagApps).sort()) {
    const a = tagApps[app];
    L(`  ${app}:`);
    L(`    version: ${q(a.version)}`);
    L(`    type: ${a.type}`);
    L(`    scope: [${a.scope.join(', ')}]`);
    const own = hrs.filter((h) => h.app === app && h.dir === a.version).sort((x, y) => x.name.localeCompare(y.name));
    if (own.length > 0) {
      L('    helmReleases:');
      for (const h of own) {
        L(`      - {name: ${q(h.name)}, chart: ${q(h.chart)}${h.chartVersion ? `, version: ${q(h.chartVersion)}` : ''}}`);
      }
    }
  }
  L(`# ${defaults.source}`);
  L('# management: unknown (no stored source lists the management cluster\'s default set).');
  L('defaultPlatformApps:');
  L(`  workspace: [${defaults.apps.filter((a) => tagApps[a]).join(', ')}]`);
  if (cat) {
    L(`# CAT v${v === '2.1.0' ? '2.1.1 (2.1.0 has no tag; same apps per the DOCS 2.1 dkp-applications page)' : v} (verified); kubernetes: ${CATALOG_KUBERNETES_SOURCE[minor]}`);
    L('catalogApps:');
    for (const app of Object.keys(cat).sort()) {
      L(`  ${app}:`);
      for (const ver of [...cat[app]].sort(cmpVersion)) {
        const range = CATALOG_KUBERNETES[minor][`${app}/${ver}`];
        L(`    - {version: ${q(ver)}${range ? `, kubernetes: ${q(range)}` : ''}}`);
      }
    }
  }
  L(minor === 1
    ? '# DOCS pages/dkp/konvoy/2.1/choose-infrastructure/aws/advanced/update/control-plane/index.md uses cluster.x-k8s.io/v1alpha4 (verified); CAPI v0.4.4 metadata.yaml contract v1alpha4 (verified)'
    : minor === 2
      ? '# dkp update controlplane output: controlplane.cluster.x-k8s.io/v1beta1 KubeadmControlPlane (DOCS pages/dkp/kommander/2.2/dkp-upgrade/upgrade-konvoy/enterprise/index.md, verified)'
      : '# inferred: every mesosphere/cluster-api fork tag after 2.2 (v1.1.3-d2iq.4 ... v1.2.x-d2iq.0) serves the v1beta1 contract; the version 2.' + minor + ' shipped is unknown');
  L(`capiContract: ${minor === 1 ? 'v1alpha4' : 'v1beta1'}`);
  const providers = PROVIDERS[v];
  if (providers) {
    L(`# ${providers.source}`);
    L('capiProviders:');
    for (const k of ['core', 'bootstrap', 'controlPlane']) if (providers.core) renderProvider(L, '  ', k, providers.core[k]);
    L('  infrastructure:');
    for (const [k, p] of Object.entries(providers.infrastructure)) renderProvider(L, '    ', k, p);
  } else {
    L('# capiProviders: unknown (no stored source names the Cluster API provider versions of this release)');
  }
  const addons = ADDONS[v];
  if (addons) {
    L(`# Core addons: DKP ${minor === 1 ? '2.1 release notes + image list' : '2.2 image list'} (verified), provider sets and chart coordinates: see scripts/generate-catalog.js`);
    L('coreAddons:');
    for (const [prov, list] of Object.entries(addons)) {
      L(`  ${prov}:`);
      for (const a of list) {
        const chart = a.chart ? `, chart: {repoURL: ${q(a.chart.repoURL)}, name: ${q(a.chart.name)}, version: ${q(a.chart.version)}}` : '';
        L(`    - {name: ${q(a.name)}, version: ${q(a.version)}, releaseNamespace: ${q(a.releaseNamespace)}${chart}}`);
      }
    }
  } else {
    L('# coreAddons: unknown (no stored source names the core addon versions of this release)');
  }
  L(`clusterResourceSetStrategy: ${crsStrategy(minor)}`);
  return lines.join('\n') + '\n';
}

function cmpVersion(a, b) {
  const pa = a.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    return typeof pa[i] === 'number' && typeof pb[i] === 'number' ? pa[i] - pb[i] : String(pa[i]).localeCompare(String(pb[i]));
  }
  return 0;
}

function main() {
  const apps = parseApps();
  const helmReleases = parseHelmReleases();
  const catalogApps = parseCatalogApps();
  fs.mkdirSync(outdir, { recursive: true });
  for (const f of fs.readdirSync(outdir)) {
    if (f.endsWith('.yaml')) fs.rmSync(path.join(outdir, f));
  }
  for (const v of RELEASES) {
    fs.writeFileSync(path.join(outdir, `${v}.yaml`), render(v, apps, helmReleases, catalogApps));
  }
  process.stderr.write(`wrote ${RELEASES.length} release files to ${path.relative(root, outdir)}\n`);
}

module.exports = { upgradeFrom, FLUX_CONTROLLERS, KUBERNETES };
if (require.main === module) main();
