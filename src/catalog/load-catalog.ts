import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { ReleaseCatalog, ReleaseSource } from './catalog';
import { overlayRelease } from './overlay';
import {
  AppType, CapiProviders, CatalogAppVersion, CoreAddon, HelmReleaseFact, PlatformApp, ProviderComponents, Release, ReleaseNote, ReplacedApp, RetiredApp,
  UserReleaseFile,
} from './release';
import { INFRASTRUCTURE_PROVIDERS } from '../fleet/fleet';
import { readRegularFile } from '../fleet/fleet-paths';
import { appVersion, dnsLabel, kubernetesVersion, releaseVersion, versionRange } from '../input/formats';
import { FleetError, located, Problem, Problems, show } from '../input/problems';
import { boolean, INVALID, list, object, oneOf, optional, record, required, string, typedObject, Validator } from '../input/schema';
import { MAX_INPUT_BYTES, ParsedYaml, parseYaml } from '../input/yaml-source';

/** The folder that holds package.json: release files and docs are read from there. */
export const PACKAGE_ROOT = packageRoot();

/** Folder of the built-in release files. */
export const BUILT_IN_RELEASES = path.join(PACKAGE_ROOT, 'src', 'catalog', 'releases');

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('dkp-fleet: cannot find the package root (no package.json above the code)');
    dir = parent;
  }
  return dir;
}

const PROVIDER_URL = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/releases\/[A-Za-z0-9_.+-]+\/[A-Za-z0-9_.-]+\.yaml$/;

const providerComponents = (): Validator<ProviderComponents> => typedObject<ProviderComponents>({
  name: required(dnsLabel()),
  version: required(string({ describe: 'a provider version such as v1.1.3', maxLength: 64, check: (v) => (/^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(v) ? undefined : `${show(v)} is not a provider version such as v1.1.3`) })),
  namespace: required(dnsLabel()),
  deployment: optional(dnsLabel()),
  image: optional(string({ describe: 'an image reference', maxLength: 512, check: (v) => (/^[a-z0-9]+([._\-/:@][A-Za-z0-9]+)*$/.test(v) ? undefined : `${show(v)} is not an image reference`) })),
  url: optional(string({
    describe: 'a components URL',
    maxLength: 512,
    check: (v) => (PROVIDER_URL.test(v) ? undefined : `${show(v)} is not a components URL of the form https://github.com/<owner>/<repo>/releases/<tag>/<file>.yaml`),
  })),
});

const semverRange = () => string({
  describe: 'a semver range',
  maxLength: 256,
  check: (v) => (semver.validRange(v) !== null ? undefined : `${show(v)} is not a semver range such as ">=2.1.0 <2.2.0"`),
});

const helmChartUrl = string({
  describe: 'an https URL',
  maxLength: 512,
  check: (v) => (/^(https|oci):\/\/[^\s]+$/.test(v) ? undefined : `${show(v)} is not an https:// or oci:// URL`),
});

const releaseSchema = typedObject<Omit<Release, 'source' | 'userFile'> & { apiVersion: string; kind: string }>({
  apiVersion: required(string({ check: (v) => (v === 'dkp-fleet/v1alpha1' ? undefined : `${show(v)} is not supported; use dkp-fleet/v1alpha1`) })),
  kind: required(string({ check: (v) => (v === 'Release' ? undefined : `${show(v)} is not supported; use Release`) })),
  version: required(releaseVersion()),
  upgradeFrom: required(semverRange()),
  kubernetes: optional(object({ supported: required(versionRange()), default: optional(kubernetesVersion()) })),
  kommander: required(object({
    applicationsRef: required(string({ maxLength: 128 })),
    appVersion: required(appVersion()),
    chartVersion: optional(string({ maxLength: 64, check: (v) => (/^v?\d+\.\d+\.\d+/.test(v) ? undefined : `${show(v)} is not a chart version`) })),
    appDeploymentApiVersion: required(oneOf(['apps.kommander.d2iq.io/v1alpha2', 'apps.kommander.d2iq.io/v1alpha3'] as const)),
  })),
  flux: required(object({
    distribution: required(appVersion()),
    kustomizeController: required(string({ maxLength: 32, check: (v) => (/^v\d+\.\d+\.\d+$/.test(v) ? undefined : `${show(v)} is not a controller version such as v0.21.1`) })),
    helmController: required(string({ maxLength: 32 })),
    sourceController: required(string({ maxLength: 32 })),
  })),
  platformApps: required(record(dnsLabel(), typedObject<PlatformApp>({
    version: required(appVersion()),
    type: required(oneOf<AppType>(['platform', 'internal', 'catalog', 'partner'])),
    scope: required(list(oneOf(['workspace', 'project'] as const))),
    helmReleases: optional(list(typedObject<HelmReleaseFact>({
      name: required(dnsLabel()), chart: required(string({ maxLength: 253 })), version: optional(string({ maxLength: 64 })),
    }))),
  }))),
  defaultPlatformApps: required(object({ workspace: optional(list(dnsLabel())), management: optional(list(dnsLabel())) })),
  catalogApps: required(record(dnsLabel(), list(typedObject<CatalogAppVersion>({ version: required(appVersion()), kubernetes: optional(versionRange()) })))),
  capiContract: required(oneOf(['v1alpha4', 'v1beta1'] as const)),
  capiProviders: optional(typedObject<CapiProviders>({
    core: optional(providerComponents()),
    bootstrap: optional(providerComponents()),
    controlPlane: optional(providerComponents()),
    infrastructure: optional(record(oneOf(INFRASTRUCTURE_PROVIDERS), providerComponents())),
  })),
  coreAddons: optional(record(oneOf(INFRASTRUCTURE_PROVIDERS), list(typedObject<CoreAddon>({
    name: required(dnsLabel()),
    version: required(string({ maxLength: 64 })),
    releaseNamespace: required(dnsLabel()),
    chart: optional(object({ repoURL: required(helmChartUrl), name: required(dnsLabel()), version: required(string({ maxLength: 64 })) })),
    valuesRequired: optional(string({ maxLength: 512 })),
  })))),
  addonDelivery: optional(oneOf(['clusterResourceSet', 'helmChartProxy'] as const)),
  clusterResourceSetStrategy: required(oneOf(['ApplyOnce', 'ApplyAlways', 'Reconcile'] as const)),
  replacedApps: optional(record(dnsLabel(), typedObject<ReplacedApp>({
    by: required(dnsLabel()), since: required(releaseVersion()), source: required(string()),
  }))),
  retiredApps: optional(record(dnsLabel(), typedObject<RetiredApp>({
    since: required(releaseVersion()), step: required(string({ maxLength: 2048 })), source: required(string()),
  }))),
  notes: optional(list(typedObject<ReleaseNote>({
    text: required(string({ maxLength: 2048 })),
    when: optional(object({
      from: optional(semverRange()),
      konvoy: optional(boolean()),
      helmChartProxyProviders: optional(list(oneOf(INFRASTRUCTURE_PROVIDERS))),
    })),
  }))),
});

/** Checks that hold across the fields of one release. */
function checkRelease(r: Release, problems: Problems): void {
  for (const [id, apps] of [['workspace', r.defaultPlatformApps.workspace], ['management', r.defaultPlatformApps.management]] as const) {
    (apps ?? []).forEach((a, i) => {
      if (!Object.prototype.hasOwnProperty.call(r.platformApps, a)) {
        problems.add(`defaultPlatformApps.${id}[${i}]`, `${show(a)} is not one of the release's platformApps`);
      }
    });
  }
  if (r.kubernetes?.default !== undefined && !semver.satisfies(r.kubernetes.default, r.kubernetes.supported)) {
    problems.add('kubernetes.default', `${show(r.kubernetes.default)} is outside kubernetes.supported ${show(r.kubernetes.supported)}`);
  }
}

/**
 * Reads one release file.
 *
 * @returns the release, or `undefined` when problems were recorded
 */
export function loadReleaseFile(file: string, problems: Problem[]): Release | undefined {
  const parsed = readReleaseFile(file, problems);
  return parsed === undefined ? undefined : validateRelease(parsed.value, file, parsed.locate, displayPath(file), problems);
}

/**
 * Reads and parses a release file; problems go to `problems`. Only a regular file is read: a
 * symbolic link, FIFO (reading one blocks forever), device or folder named `*.yaml` is refused
 * by its lstat, before it is opened.
 */
function readReleaseFile(file: string, problems: Problem[]): ParsedYaml | undefined {
  const p = new Problems(file);
  const read = readRegularFile(file, MAX_INPUT_BYTES, {
    tooBig: () => `is larger than ${MAX_INPUT_BYTES} bytes`, rule: 'a release file must be a regular file (links are not followed)',
  });
  if ('refused' in read) {
    problems.push({ file, path: '(file)', message: read.refused });
    return undefined;
  }
  const parsed = parseYaml(read.text, p);
  problems.push(...p.all);
  return parsed;
}

/** Validates a whole release document read from `file`. */
function validateRelease(
  value: unknown, file: string, locate: ParsedYaml['locate'], source: string, problems: Problem[], userFile?: UserReleaseFile,
): Release | undefined {
  const p = new Problems(file);
  const r = releaseSchema(value, '', p);
  if (r !== INVALID) {
    const { apiVersion: _a, kind: _k, ...rest } = r;
    const release: Release = { ...rest, source, ...(userFile ? { userFile } : {}) };
    checkRelease(release, p);
    const expected = path.basename(file, path.extname(file));
    if (expected !== release.version) {
      p.add('version', `${show(release.version)} does not match the file name; name the file ${release.version}.yaml`);
    }
    if (p.count === 0) {
      return release;
    }
  }
  problems.push(...located(p.all, locate));
  return undefined;
}

/**
 * A user's release file: laid over the built-in release of its version when there is one (maps
 * merge key by key, lists and scalars replace; apiVersion and kind may be left out), else a whole
 * release of its own.
 */
function loadUserReleaseFile(file: string, builtInDir: string, builtIns: ReadonlySet<string>, problems: Problem[]): Release | undefined {
  const parsed = readReleaseFile(file, problems);
  if (parsed === undefined) return undefined;
  const value = parsed.value as Record<string, unknown>;
  const version = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.version : undefined;
  if (typeof version !== 'string' || !builtIns.has(version)) {
    const found: Problem[] = [];
    const r = validateRelease(parsed.value, file, parsed.locate, displayPath(file), found, { file: displayPath(file), overlay: false, facts: [] });
    if (typeof version === 'string' && found.some((x) => x.message.startsWith('required field is missing'))) {
      const nearest = [...builtIns].filter((v) => semver.valid(v) && semver.valid(version) && semver.lt(v, version)).sort(semver.compare).pop();
      found.unshift({
        file, path: 'version', line: parsed.locate('version'),
        message: `${show(version)} is not a built-in release, so this file must hold the whole release`
          + `${nearest ? ` (start from src/catalog/releases/${nearest}.yaml)` : ''}; `
          + 'a file of a built-in version only needs the facts it adds',
      });
    }
    problems.push(...found);
    return r;
  }
  const baseFile = path.join(builtInDir, `${version}.yaml`);
  const base = readReleaseFile(baseFile, problems);
  if (base === undefined) return undefined;
  const p = new Problems(file);
  const { merged, facts } = overlayRelease(base.value as Record<string, unknown>, value, p);
  if (p.count > 0) {
    problems.push(...located(p.all, parsed.locate));
    return undefined;
  }
  const header = Object.fromEntries(['apiVersion', 'kind', 'version'].filter((k) => k in value).map((k) => [k, value[k]]));
  return validateRelease({ ...merged, ...header }, file, parsed.locate, `${displayPath(baseFile)} with ${displayPath(file)}`, problems,
    { file: displayPath(file), overlay: true, facts });
}

/**
 * A path for messages: a built-in release file as `src/catalog/releases/<version>.yaml` (the same
 * from any working folder); another file relative to the working folder when inside it, else as given.
 */
function displayPath(file: string): string {
  if (path.dirname(path.resolve(file)) === BUILT_IN_RELEASES) return path.relative(PACKAGE_ROOT, file).split(path.sep).join('/');
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

function releaseFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * Loads the built-in catalog and, when given, a folder of user release files. A user file of a
 * built-in version is laid over it (to add the facts it lacks or correct one); a file of another
 * version is a whole release.
 *
 * @param userDir the fleet's `spec.catalog` folder
 * @throws FleetError naming every problem of every file
 */
export function loadCatalog(userDir?: string, builtInDir: string = BUILT_IN_RELEASES): ReleaseCatalog {
  const problems: Problem[] = [];
  const releases = new Map<string, ReleaseSource>();
  // Built-in releases are parsed when first needed (a synthesis uses two or three of them); the
  // tests validate every one. User files are validated here, all of them.
  for (const file of releaseFiles(builtInDir)) {
    const version = path.basename(file, path.extname(file));
    releases.set(version, () => {
      const found: Problem[] = [];
      const r = loadReleaseFile(file, found);
      if (r === undefined) throw new FleetError(found); // loadReleaseFile also checks the file name
      return r;
    });
  }
  if (userDir !== undefined) {
    let files: string[] = [];
    try {
      if (!fs.statSync(userDir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      files = releaseFiles(userDir);
    } catch (e) {
      problems.push({
        path: 'spec.catalog',
        message: `${show(userDir)} is not a readable folder of release files (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      });
    }
    const builtIns = new Set(releases.keys());
    for (const file of files) {
      const r = loadUserReleaseFile(file, builtInDir, builtIns, problems);
      if (r) releases.set(r.version, r);
    }
  }
  if (problems.length > 0) {
    throw new FleetError(problems);
  }
  return new ReleaseCatalog(releases);
}
