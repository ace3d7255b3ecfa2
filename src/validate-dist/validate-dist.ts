import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { KUSTOMIZE_CONFIG_SCHEMA } from './core-schemas';
import { toJsonSchema } from './structural-schema';
import { fieldPath, ObjectValidator } from './validate-object';
import { byKey } from '../input/compare';

/** One problem of a file under the validated folder. */
export interface FileError {
  /** Path relative to the validated folder, `/`-separated. */
  readonly file: string;
  /** Field path inside the object, empty for the file or object as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface DistValidation {
  readonly errors: readonly FileError[];
  /** Distinct notes on how objects were validated. */
  readonly notes: readonly string[];
  /** Objects validated against a schema (kustomization.yaml files not counted). */
  readonly objects: number;
  /** kustomization.yaml files checked. */
  readonly kustomizations: number;
}

const KUSTOMIZATION_FILE = 'kustomization.yaml';

let kustomizeConfig: ReturnType<Ajv['compile']> | undefined;
function kustomizeConfigValidator() {
  kustomizeConfig ??= new Ajv({ allErrors: true, strict: false }).compile(toJsonSchema(KUSTOMIZE_CONFIG_SCHEMA));
  return kustomizeConfig;
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort(byKey((e) => e.name))) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out;
}

function parseDocuments(text: string): { docs: unknown[]; error?: string } {
  const docs = YAML.parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  for (const d of list) {
    if (d.errors.length > 0) return { docs: [], error: `malformed YAML: ${d.errors[0].message.split('\n')[0]}` };
  }
  return { docs: list.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined) };
}

/**
 * Validates every YAML file under a synthesized folder: each object against its schema
 * (validate-object.ts), and each `kustomization.yaml` as kustomize config, listing exactly the
 * other files of its folder (a file it does not list would never be applied). Other files
 * (PLAN.md) are skipped.
 */
export function validateDist(dir: string, validator: ObjectValidator): DistValidation {
  const errors: FileError[] = [];
  const notes = new Set<string>();
  let objects = 0;
  let kustomizations = 0;
  const files = walk(dir);
  const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f));
  // each folder's YAML files other than kustomization.yaml, in file order
  const folderFiles = new Map<string, string[]>();
  for (const f of yamlFiles) {
    const base = path.posix.basename(f);
    if (base === KUSTOMIZATION_FILE) continue;
    const folder = path.posix.dirname(f);
    const list = folderFiles.get(folder);
    if (list === undefined) folderFiles.set(folder, [base]);
    else list.push(base);
  }
  for (const file of yamlFiles) {
    const parsed = parseDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (parsed.error !== undefined) {
      errors.push({ file, path: '', message: parsed.error });
      continue;
    }
    if (path.posix.basename(file) === KUSTOMIZATION_FILE) {
      kustomizations++;
      const folder = path.posix.dirname(file);
      const k = parsed.docs[0] as Record<string, any> | undefined;
      const validate = kustomizeConfigValidator();
      if (parsed.docs.length !== 1) {
        errors.push({ file, path: '', message: `holds ${parsed.docs.length} documents; expected one` });
        continue;
      }
      if (!validate(k)) {
        for (const e of validate.errors ?? []) {
          const p = e.params as Record<string, string>;
          const extra = p.additionalProperty ?? p.missingProperty;
          const message = e.keyword === 'additionalProperties' ? 'unknown field; allowed fields: apiVersion, kind, resources'
            : e.keyword === 'required' ? 'required field is missing' : `${e.message ?? e.keyword}`;
          errors.push({ file, path: fieldPath(e.instancePath, extra), message });
        }
        continue;
      }
      const siblings = folderFiles.get(folder) ?? [];
      const siblingSet = new Set(siblings);
      const listed = new Set(k!.resources as string[]);
      for (const r of k!.resources as string[]) {
        if (!siblingSet.has(r)) errors.push({ file, path: 'resources', message: `lists ${JSON.stringify(r)}, which is not a file of this folder` });
      }
      for (const s of siblings) {
        if (!listed.has(s)) errors.push({ file, path: 'resources', message: `does not list ${JSON.stringify(s)}, so Flux never applies it` });
      }
      continue;
    }
    parsed.docs.forEach((doc, i) => {
      objects++;
      const r = validator.validate(doc);
      const where = parsed.docs.length > 1 ? `[document ${i + 1}] ` : '';
      for (const e of r.errors) errors.push({ file, path: e.path, message: `${where}${e.message}` });
      for (const n of r.notes) notes.add(n);
    });
    if (parsed.docs.length === 0) errors.push({ file, path: '', message: 'holds no object' });
  }
  return { errors, notes: [...notes].sort(), objects, kustomizations };
}

/** `file: path: message`, the line format of `npm run validate`. */
export function formatFileError(e: FileError, root = ''): string {
  const file = root === '' ? e.file : `${root.replace(/\/$/, '')}/${e.file}`;
  return `${file}: ${e.path === '' ? '' : `${e.path}: `}${e.message}`;
}
