import * as fs from 'fs';
import * as path from 'path';
import { keyMaterialIn, withoutKeyMaterial } from '../../src/output/secret-scan';
import { synthesize } from '../../src/synth';
import { ROOT } from '../helpers';

/** Test data: key-shaped strings made up for these tests (not keys of anything). */
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtestonly\n-----END RSA PRIVATE KEY-----'].join(' ');
/** PKCS #8: no algorithm word before PRIVATE KEY. */
const PKCS8 = ['-----BEGIN', 'PRIVATE KEY-----\nMIIEvQIBADANBgtestonly\n-----END PRIVATE KEY-----'].join(' ');
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0LW9ubHkifQ.c2lnbmF0dXJlLXRlc3Qtb25seQ';

const file = (content: string) => ({ path: 'cluster-a-core-addons/configmap.default.x.yaml', content });
const found = (content: string) => keyMaterialIn(file(content), 'dist').map((p) => p.message.replace(/:.*/, ''));

describe('the key material scan', () => {
  test.each([
    ['a PEM private key inside ConfigMap data', `data:\n  ca.yaml: |\n    key: |\n      ${PEM.replace(/\n/g, '\n      ')}\n`, 'would hold a PEM private key'],
    ['a PKCS #8 private key (no algorithm named)', `key: |\n  ${PKCS8.replace(/\n/g, '\n  ')}\n`, 'would hold a PEM private key'],
    ['a kubeconfig client key after two spaces', 'client-key-data:  LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==\n',
      'would hold a kubeconfig client key (client-key-data)'],
    ['a kubeconfig client key', 'users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==\n',
      'would hold a kubeconfig client key (client-key-data)'],
    ['a kubeconfig token', 'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abcdef0123456789abcdef\n',
      'would hold a kubeconfig token'],
    ['a signed JWT anywhere', `value: ${JWT}\n`, 'would hold a bearer token (a signed JWT)'],
    ['a Secret manifest with data, embedded in a ConfigMap', 'data:\n  s.yaml: |\n    apiVersion: v1\n    kind: Secret\n    metadata: {name: s}\n'
      + '    stringData:\n      password: hunter2\n', 'would hold a Secret manifest with data'],
  ])('fails if the output would hold %s', (_name, content, message) => {
    expect(found(content)).toEqual([message]);
  });

  /** A kubeconfig embedded in ConfigMap data, as an addon would carry one. */
  const kubeconfig = (kindLine: string, tokenLine: string) => `data:\n  kubeconfig: |\n    apiVersion: v1\n    ${kindLine}\n    users:\n`
    + `    - name: admin\n      user:\n        ${tokenLine}\n`;

  test.each([
    ['kind: Config', 'token: abcdef0123456789'],
    ['kind:   "Config"  ', 'token:  "abcdef0123456789"'],
    ["kind: 'Config'", "token: 'abcdef0123456789'"],
  ])('fails if an embedded kubeconfig (%s) holds a token (%s)', (kindLine, tokenLine) => {
    expect(found(kubeconfig(kindLine, tokenLine))).toEqual(['would hold a kubeconfig token']);
  });

  test.each([
    ['a ConfigMap, not a kubeconfig', 'kind: ConfigMap', 'token: abcdef0123456789'],
    ['a key that ends in kind', 'subkind: Config', 'token: abcdef0123456789'],
    ['a commented-out token', 'kind: Config', '# token: REPLACE_ME_LATER'],
    ['a token too short to be one', 'kind: Config', 'token: short'],
  ])('leaves alone %s', (_name, kindLine, tokenLine) => {
    expect(found(kubeconfig(kindLine, tokenLine))).toEqual([]);
  });

  /** Manifests embedded in a ConfigMap's data, at its indentation. */
  const embedded = (docs: string) => `data:\n  manifests.yaml: |\n${docs.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n')}`;
  const SECRET_DOC = (kind: string, data: string) => `apiVersion: v1\n${kind}\nmetadata:\n  name: s\n${data}\n`;

  test.each([
    ['kind: Secret', 'data:\n  password: aHVudGVyMg=='],
    ['kind: "Secret"', 'stringData:\n  password: hunter2'],
    ["kind: 'Secret'  ", 'data: {password: aHVudGVyMg==}'],
    ['kind:   Secret', 'stringData: {password: hunter2} # aligned by hand'],
    ['kind: Secret # registry credentials', 'data:\n  .dockerconfigjson: e30='],
  ])('fails if an embedded Secret (%s) carries data (%s)', (kind, data) => {
    expect(found(embedded(SECRET_DOC(kind, data)))).toEqual(['would hold a Secret manifest with data']);
    // also as the second of several documents, and with another document after it
    expect(found(embedded(`kind: ConfigMap\ndata:\n  a: b\n---\n${SECRET_DOC(kind, data)}---\nkind: ConfigMap\n`)))
      .toEqual(['would hold a Secret manifest with data']);
  });

  test.each([['data: {}'], ['data: null'], ['data: ~'], ['stringData: {}'], ['data: {}   '], ['data: null # filled in by the operator'], ['data: ~\t#']])(
    'leaves alone an embedded Secret with %s', (data) => {
    expect(found(embedded(SECRET_DOC('kind: Secret', data)))).toEqual([]);
  });

  test('leaves alone an empty Secret whose neighbours (other documents) have data, and a SecretStore', () => {
    const docs = `kind: ConfigMap\ndata:\n  a: b\n---\n${SECRET_DOC('kind: Secret', 'data: {}')}---\nkind: ConfigMap\ndata:\n  c: d\n`
      + `---\nkind: SecretStore\nspec:\n  data: x\n`;
    expect(found(embedded(docs))).toEqual([]);
    // a document separator with trailing spaces or indentation still separates
    expect(found(embedded(`${SECRET_DOC('kind: Secret', 'data: {}')}---  \nkind: ConfigMap\ndata:\n  c: d\n`))).toEqual([]);
  });

  test('leaves alone a Secret the API server fills (no data) followed by documents with data, whatever the separator', () => {
    const token = 'kind: Secret\nmetadata:\n  name: robot-token\n  annotations: {kubernetes.io/service-account.name: robot}\n'
      + 'type: kubernetes.io/service-account-token\n';
    for (const separator of ['---', '---  ', '  ---']) {
      expect(found(embedded(`${token}${separator}\nkind: ConfigMap\ndata:\n  c: d\n`))).toEqual([]);
      expect(found(`${token}${separator}\nkind: ConfigMap\ndata:\n  c: d\n`)).toEqual([]);
    }
  });

  test('leaves alone a Secret only named in a list (a kustomize configuration in a ConfigMap with data)', () => {
    expect(found('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kustomize-config}\ndata:\n  name-references.yaml: |\n'
      + '    nameReference:\n    - kind: Secret\n      fieldSpecs: [{path: spec/secretName, kind: Certificate}]\n')).toEqual([]);
  });

  test('leaves alone a kind that only begins with Secret, and a key that only ends in kind, in documents with data', () => {
    expect(found(embedded('apiVersion: example.com/v1\nkind: SecretBackup\nmetadata: {name: b}\ndata:\n  schedule: daily\n'))).toEqual([]);
    expect(found(embedded('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nsubkind: Secret\ndata:\n  a: b\n'))).toEqual([]);
  });

  test('leaves alone a kubeconfig whose token is empty, whatever the next line holds', () => {
    expect(found('apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token:\ncurrent-context: admin@prod-east\n')).toEqual([]);
  });

  test('names the line of key material anywhere in a file, the last line without a final newline included', () => {
    const line = (content: string) => keyMaterialIn(file(content), 'dist').map((p) => p.line);
    expect(line(`value: ${JWT}`)).toEqual([1]);
    expect(line(`a: 1\nb: 2\n\nvalue: ${JWT}`)).toEqual([4]);
    expect(line(`a: 1\nvalue: ${JWT}\nc: 3\n`)).toEqual([2]);
  });

  test('leaves alone a JWT-shaped string without a real signature part', () => {
    expect(found('value: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.abc\n')).toEqual([]);
  });

  test('leaves alone what only names secrets: a Secret reference, an empty Secret, a kubeconfig without credentials', () => {
    expect(found('resources:\n- kind: Secret\n  name: csi-vsphere-config-secret\n')).toEqual([]);
    expect(found('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {}\n---\nkind: ConfigMap\ndata:\n  a: b\n')).toEqual([]);
    expect(found('kubeConfig:\n  secretRef:\n    name: mgmt-kubeconfig\n')).toEqual([]);
  });

  test('finds nothing in what the examples synthesize (no false alarm on real output)', () => {
    for (const f of ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((x) => x.endsWith('.yaml')).map((x) => `examples/${x}`)]) {
      const files = synthesize({ fleetFile: path.join(ROOT, f) }).files;
      expect([f, files.flatMap((x) => keyMaterialIn(x, 'dist'))]).toEqual([f, []]);
    }
  });

  test('withholds a file with key material, passes the others on, then refuses naming the file and its line', () => {
    const files = [file('a: 1\n'), { path: 'b/secret.yaml', content: `x: 1\n${PEM}\n` }, file('c: 3\n')];
    const passed: string[] = [];
    expect(() => {
      for (const f of withoutKeyMaterial(files, 'out')) passed.push(f.content);
    }).toThrow(/out\/b\/secret\.yaml:2: \(content\): would hold a PEM private key/);
    expect(passed).toEqual(['a: 1\n', 'c: 3\n']);
  });
});
