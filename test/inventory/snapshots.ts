import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ROOT } from '../helpers';

/** Test data of the inventory tests: the realistic snapshot (test/fixtures/inventory/) and variants of it. */

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'inventory');

/** A DKP 2.1.1 management cluster on Azure: see the comment at the top of the file. */
export const SNAPSHOT = fs.readFileSync(path.join(FIXTURES, 'snapshot.yaml'), 'utf8');

/** The fleet file `inventory` writes for SNAPSHOT with --release 2.2.0. */
export const EXPECTED_FLEET = fs.readFileSync(path.join(FIXTURES, 'snapshot.fleet.yaml'), 'utf8');

/** The snapshot's objects, as data to vary. */
export function items(): any[] {
  return YAML.parse(SNAPSHOT).items;
}

/** A kubectl List of these objects, as text. */
export function list(objects: readonly unknown[]): string {
  return YAML.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: objects });
}

/** The snapshot with its objects changed by `change` (which may edit them in place or return new ones). */
export function snapshotWith(change: (objects: any[]) => any[] | void): string {
  const objects = items();
  return list(change(objects) ?? objects);
}

/** The object of a kind and name (and namespace, when several share the name). */
export function find(objects: readonly any[], kind: string, name: string, namespace?: string): any {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name && (namespace === undefined || x.metadata.namespace === namespace));
  if (o === undefined) throw new Error(`the test snapshot has no ${kind} ${namespace ?? '*'}/${name}`);
  return o;
}

/** The objects without the one of a kind and name. */
export function without(objects: readonly any[], kind: string, name: string, namespace?: string): any[] {
  const o = find(objects, kind, name, namespace);
  return objects.filter((x) => x !== o);
}
