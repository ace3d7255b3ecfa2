import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { FastYaml, YAML_OPTIONS } from '../../src/output/fast-yaml';
import { synthesize } from '../../src/synth';
import { ROOT } from '../helpers';

const FLEETS = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`)];

describe('FastYaml', () => {
  test.each(FLEETS)('writes every object of %s exactly as yaml does', (f) => {
    const { folders } = synthesize({ fleetFile: path.join(ROOT, f) });
    const fast = new FastYaml();
    let count = 0;
    let jobs = 0;
    for (const folder of folders) {
      for (const o of folder.objects) {
        expect(fast.stringify(o.object)).toBe(YAML.stringify(o.object, YAML_OPTIONS));
        count++;
        if ((o.object as { kind?: string }).kind === 'Job') jobs++;
      }
    }
    expect(count).toBeGreaterThan(10);
    // and writes them itself, but for the Job gates (a multi-line script in a list): handing a document to yaml gives the
    // same bytes, but the speed of synth rests on the shortcut
    expect(fast.fallbacks).toBe(jobs);
  });

  test('writes YAML 1.1 keywords, numbers-as-strings and odd strings exactly as yaml does', () => {
    const fast = new FastYaml();
    const tricky = ['on', 'Yes', 'NO', 'off', 'null', '~', '', ' ', '1.20', '0755', '1e3', '0x1F', 'v1.2.3', '2.2.0', 'a: b', '#x', '- x',
      '*alias', '&anchor', '!tag', '%dir', '@at', '`tick', '"q"', "'q'", 'a #b', 'trailing ', ' leading', 'multi\nline', 'tab\there',
      'ünïcode', '{x}', '[x]', 'x,y', '?', ':', '|', '>', '.inf', '-.inf', '.nan', '2026-11-23', '12:30', '=', '<<'];
    for (const s of tricky) {
      const doc = { [`k`]: s, list: [s, { name: s, value: s }], nested: { deep: { v: s } } };
      expect(fast.stringify(doc)).toBe(YAML.stringify(doc, YAML_OPTIONS));
    }
    for (const v of [0, -1, 42, 2 ** 53, 1.5, -0, NaN, Infinity, true, false, null]) {
      const doc = { v, l: [v], m: { v } };
      expect(fast.stringify(doc)).toBe(YAML.stringify(doc, YAML_OPTIONS));
    }
    for (const k of ['on', '1', 'a b', 'a:b', '', 'ünï']) {
      const doc = { [k]: 'x', m: { [k]: [{ [k]: 1 }] } };
      expect(fast.stringify(doc)).toBe(YAML.stringify(doc, YAML_OPTIONS));
    }
  });

  test('writes multi-line strings (a ConfigMap\'s manifests) exactly as yaml does, at any depth', () => {
    const fast = new FastYaml();
    const texts = ['a\nb', 'a\nb\n', 'a\nb\n\n', '  lead\nx', 'x\n  indented\n', 'trailing \nspace', 'a\n\n\nb', '\nfirst empty', 'tab\t\nx',
      'cr\r\nlf', '- item\n- item\n', 'key: value\n---\nkind: X\n', '#comment\nx', 'ünï\ncode', 'x\n ', '"q"\n\'q\''];
    for (const t of texts) {
      for (const doc of [{ data: { 'm.yaml': t } }, { a: { b: { c: t } } }, { k: t }, { l: [{ name: 'x', v: t }] }]) {
        expect(fast.stringify(doc)).toBe(YAML.stringify(doc, YAML_OPTIONS));
      }
    }
  });

  test('agrees with yaml on generated documents', () => {
    const line = fc.oneof(fc.string(), fc.constantFrom('', ' ', '  x', 'a: b', '- c', '---'));
    const lines = fc.array(line, { minLength: 2, maxLength: 4 }).map((l) => l.join('\n'));
    const text = fc.oneof(fc.string(), lines, fc.constantFrom('on', 'yes', '1.21', 'a-b', 'x/y', ' ', '', '\n', 'a: b', '- c'));
    const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.double());
    const { doc } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('doc')),
      doc: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    }));
    const fast = new FastYaml();
    fc.assert(fc.property(doc, (d) => fast.stringify(d) === YAML.stringify(d, YAML_OPTIONS)), { seed: 20261123, numRuns: 2000 });
  });
});
