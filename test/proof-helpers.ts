import * as path from 'path';
import { HAVE_SHARED, ROOT, SHARED } from './helpers';
import { SchemaRegistry } from '../src/validate-dist/schema-registry';
import { DistValidation, formatFileError, validateDist } from '../src/validate-dist/validate-dist';
import { ObjectValidator } from '../src/validate-dist/validate-object';

let shared: ObjectValidator | undefined;

/**
 * A validator with every schema: the upstream CRDs of ../shared, the project's own CRDs and the
 * core kinds. Only call it inside `describeWithShared`. Loaded once per test file.
 */
export function sharedValidator(): ObjectValidator {
  if (!HAVE_SHARED) throw new Error(`${SHARED} is missing: use describeWithShared`);
  shared ??= new ObjectValidator(SchemaRegistry.load([path.join(SHARED, 'crds'), path.join(ROOT, 'crds')]));
  return shared;
}

let core: ObjectValidator | undefined;

/** A validator with the core kinds and the project's own CRDs only: needs nothing outside the project. */
export function coreValidator(): ObjectValidator {
  core ??= new ObjectValidator(SchemaRegistry.load([path.join(ROOT, 'crds')]));
  return core;
}

/** Validates a synthesized folder and returns its errors as `file: path: message` lines (empty when valid). */
export function schemaErrors(dist: string): string[] {
  return validateDistWithShared(dist).errors.map((e) => formatFileError(e));
}

export function validateDistWithShared(dist: string): DistValidation {
  return validateDist(dist, sharedValidator());
}
