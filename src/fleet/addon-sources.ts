import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Fleet } from './fleet';
import { isWhat, readRegularFile } from './fleet-paths';
import { byKey } from '../input/compare';
import { dnsLabelProblem } from '../input/formats';
import { FleetError, Problem, show } from '../input/problems';
import { MAX_INPUT_BYTES } from '../input/yaml-source';

/** Files of one addon, by file name (sorted). */
export type AddonFiles = ReadonlyMap<string, string>;

/** Per-addon content found for clusters (exact) and providers (shared by a provider's clusters). */
export interface AddonTree<T> {
  readonly clusters: ReadonlyMap<string, ReadonlyMap<string, T>>;
  readonly providers: ReadonlyMap<string, ReadonlyMap<string, T>>;
}

/** Addon inputs read from the folders a fleet names (spec.konvoy.addons). */
export interface AddonSources {
  /** ClusterResourceSet manifests: `<dir>/clusters/<cluster>/<addon>/*.yaml`, `<dir>/providers/<provider>/<addon>/*.yaml`. */
  readonly manifests: AddonTree<AddonFiles>;
  /** HelmChartProxy values templates: `<dir>/clusters/<cluster>/<addon>.yaml`, `<dir>/providers/<provider>/<addon>.yaml`, `<dir>/<addon>.yaml`. */
  readonly values: AddonTree<string> & { readonly shared: ReadonlyMap<string, string> };
}

export const EMPTY_ADDON_SOURCES: AddonSources = {
  manifests: { clusters: new Map(), providers: new Map() },
  values: { clusters: new Map(), providers: new Map(), shared: new Map() },
};

/** A ConfigMap holds at most 1 MiB (https://kubernetes.io/docs/concepts/configuration/configmap/). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

const YAML_FILE = /\.ya?ml$/;

function entries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort(byKey((e) => e.name));
}

function checkName(name: string, where: string, problems: Problem[]): boolean {
  const p = dnsLabelProblem(name);
  if (p) problems.push({ path: where, message: `folder or file name ${p}` });
  return p === undefined;
}

/**
 * Inside the addon folders only real folders and regular files are read: a symbolic link could
 * point anywhere on the machine, a FIFO blocks the reader forever, a device has no end.
 */
const NOT_FOLLOWED = 'dkp-fleet does not follow links or read special files in addon folders';

/**
 * Refuses an entry that is not what the folder holds: a link, FIFO, socket or device is named for
 * what it is (`<file>: (file): is a FIFO; ...`) and never opened; a plain mistake gets `expected`.
 */
function refuse(e: fs.Dirent | fs.Stats, where: string, expected: string, problems: Problem[]): void {
  if (e.isFile() || e.isDirectory()) {
    problems.push({ path: where, message: expected });
  } else {
    problems.push({ file: where, path: '(file)', message: `${isWhat(e)}; ${expected}; ${NOT_FOLLOWED}` });
  }
}

/** Reads a regular file of at most MAX_INPUT_BYTES (fleet files' limit) and checks its YAML. */
function readYamlFile(file: string, problems: Problem[]): string | undefined {
  const read = readRegularFile(file, MAX_INPUT_BYTES, { rule: NOT_FOLLOWED });
  if ('refused' in read) {
    problems.push({ file, path: '(file)', message: read.refused });
    return undefined;
  }
  const text = read.text;
  const lineCounter = new YAML.LineCounter();
  for (const doc of YAML.parseAllDocuments(text, { lineCounter })) {
    for (const e of doc.errors) {
      problems.push({ file, path: '(syntax)', line: lineCounter.linePos(e.pos[0]).line, message: `malformed YAML: ${e.message.split('\n')[0]}` });
      return undefined;
    }
  }
  return text;
}

/** `<root>/<group>/<owner>/...`: owners are cluster or provider names. */
function readTree<T>(
  root: string,
  group: 'clusters' | 'providers',
  readOwner: (dir: string) => Map<string, T>,
  problems: Problem[],
): Map<string, Map<string, T>> {
  const out = new Map<string, Map<string, T>>();
  const dir = path.join(root, group);
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(dir);
  } catch {
    return out; // no such folder: nothing of this group
  }
  if (!stats.isDirectory()) {
    refuse(stats, dir, `expected a folder of ${group === 'clusters' ? 'cluster' : 'provider'} folders`, problems);
    return out;
  }
  for (const e of entries(dir)) {
    const where = path.join(dir, e.name);
    if (!e.isDirectory()) {
      refuse(e, where, `expected a folder named after a ${group === 'clusters' ? 'cluster' : 'provider'}`, problems);
    } else if (checkName(e.name, where, problems)) {
      out.set(e.name, readOwner(where));
    }
  }
  return out;
}

function readManifests(root: string, problems: Problem[]): AddonTree<AddonFiles> {
  const readOwner = (ownerDir: string) => {
    const addons = new Map<string, AddonFiles>();
    for (const a of entries(ownerDir)) {
      const addonDir = path.join(ownerDir, a.name);
      if (!a.isDirectory()) {
        refuse(a, addonDir, 'expected a folder named after an addon, holding its manifests (*.yaml)', problems);
        continue;
      }
      if (!checkName(a.name, addonDir, problems)) continue;
      const files = new Map<string, string>();
      let bytes = 0;
      for (const f of entries(addonDir)) {
        const file = path.join(addonDir, f.name);
        if (!f.isFile() || !YAML_FILE.test(f.name)) {
          refuse(f, file, 'expected only YAML manifest files (*.yaml, *.yml) in an addon folder', problems);
          continue;
        }
        const text = readYamlFile(file, problems);
        if (text !== undefined) {
          files.set(f.name, text);
          bytes += Buffer.byteLength(f.name) + Buffer.byteLength(text);
        }
      }
      if (files.size === 0) {
        problems.push({ path: addonDir, message: 'holds no manifest (*.yaml); an addon folder needs at least one' });
      } else if (bytes > MAX_CONFIGMAP_BYTES) {
        problems.push({
          path: addonDir, message: `holds ${bytes} bytes of manifests, more than the ${MAX_CONFIGMAP_BYTES} a ConfigMap can carry; split the addon`,
        });
      }
      addons.set(a.name, files);
    }
    return addons;
  };
  return { clusters: readTree(root, 'clusters', readOwner, problems), providers: readTree(root, 'providers', readOwner, problems) };
}

function readValues(root: string, problems: Problem[]): AddonSources['values'] {
  const readFiles = (dir: string) => {
    const out = new Map<string, string>();
    for (const f of entries(dir)) {
      const file = path.join(dir, f.name);
      if (dir === root && (f.name === 'clusters' || f.name === 'providers')) continue; // readTree reads (or refuses) them
      if (!f.isFile() || !YAML_FILE.test(f.name)) {
        refuse(f, file, 'expected <addon>.yaml values files (or the folders clusters/ and providers/)', problems);
        continue;
      }
      const addon = f.name.replace(YAML_FILE, '');
      if (!checkName(addon, file, problems)) continue;
      const text = readYamlFile(file, problems);
      if (text !== undefined) out.set(addon, text);
    }
    return out;
  };
  return {
    clusters: readTree(root, 'clusters', readFiles, problems),
    providers: readTree(root, 'providers', readFiles, problems),
    shared: readFiles(root),
  };
}

function readableDir(dir: string, field: string, problems: Problem[]): boolean {
  try {
    if (fs.statSync(dir).isDirectory()) return true;
  } catch {
    // reported below
  }
  problems.push({ path: field, message: `${show(dir)} is not a readable folder` });
  return false;
}

/**
 * Reads the addon folders a fleet names. Everything read is plain text kept verbatim (files
 * sorted by name), so the output does not depend on the machine.
 *
 * @throws FleetError naming each unreadable or malformed file
 */
export function loadAddonSources(fleet: Fleet): AddonSources {
  const problems: Problem[] = [];
  const k = fleet.konvoy;
  const manifests = k.addonManifestsDir !== undefined && readableDir(k.addonManifestsDir, 'spec.konvoy.addons.manifests', problems)
    ? readManifests(k.addonManifestsDir, problems) : EMPTY_ADDON_SOURCES.manifests;
  const values = k.addonValuesDir !== undefined && readableDir(k.addonValuesDir, 'spec.konvoy.addons.values', problems)
    ? readValues(k.addonValuesDir, problems) : EMPTY_ADDON_SOURCES.values;
  if (problems.length > 0) throw new FleetError(problems);
  return { manifests, values };
}
