/** One thing wrong with an object: the field path inside it and what is wrong. */
export interface SchemaError {
  /** `spec.dependsOn[0].name`; empty for the object itself. */
  readonly path: string;
  readonly message: string;
}
