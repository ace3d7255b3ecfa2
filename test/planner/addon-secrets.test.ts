import { splitSecrets } from '../../src/planner/addon-secrets';

/**
 * Secrets in addon manifests are taken out of what goes into a ConfigMap (and named, so PLAN.md
 * and the terminal can say where they went); everything else is kept, document by document, as written.
 */
describe('splitSecrets', () => {
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: kube-system\n';
  const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  banner: |\n    --- welcome ---\n    a---b\n';

  test('keeps a file without Secrets exactly as it was', () => {
    const text = `# leading comment\n${CONFIG}`;
    const r = splitSecrets(new Map([['a.yaml', text]]));
    expect([...r.files.entries()]).toEqual([['a.yaml', text]]);
    expect(r.secrets).toEqual([]);
  });

  test('drops the Secrets, names them (namespace default, name unnamed when absent) and keeps the other documents verbatim', () => {
    const text = `${SECRET}--- # the config\n${CONFIG}\n  \n---\napiVersion: v1\nkind: Secret\nmetadata: {}\n`
      + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n';
    const r = splitSecrets(new Map([['a.yaml', text]]));
    expect(r.secrets).toEqual([{ file: 'a.yaml', secrets: ['kube-system/s', 'default/(unnamed)'] }]);
    // the document markers (and a comment on one) are not content: the kept documents are joined with plain markers,
    // and a "---" inside a block scalar is content, left alone
    expect([...r.files.entries()]).toEqual([['a.yaml', `${CONFIG.trimEnd()}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n`]]);
  });

  test('a first document without a marker keeps a "---" inside its content', () => {
    const r = splitSecrets(new Map([['a.yaml', `${CONFIG}---\n${SECRET}`]]));
    expect([...r.files.entries()]).toEqual([['a.yaml', CONFIG]]);
  });

  test('a file of Secrets only is dropped whole', () => {
    const r = splitSecrets(new Map([['s.yaml', `---\n${SECRET}---\n`]]));
    expect([...r.files.entries()]).toEqual([]);
    expect(r.secrets).toEqual([{ file: 's.yaml', secrets: ['kube-system/s'] }]);
  });
});
