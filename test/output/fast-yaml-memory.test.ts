import * as YAML from 'yaml';
import { FastYaml, REMEMBERED } from '../../src/output/fast-yaml';

// yaml itself, counted: synth's speed rests on rendering each odd scalar and each multi-line text with yaml once.
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, stringify: jest.fn(actual.stringify) };
});
const stringify = YAML.stringify as jest.Mock;

describe('FastYaml remembers what yaml rendered', () => {
  beforeEach(() => stringify.mockClear());

  test('renders each odd scalar and each multi-line text with yaml once, however often and in whatever order it comes', () => {
    const fast = new FastYaml();
    // quoted scalars and block texts, interleaved: a memory emptied on every entry would render them again
    const doc = { a: 'on', b: 'x y', c: ['1.20', 'on'], d: 'one\ntwo\n', e: { f: 'three\nfour\n' } };
    const first = fast.stringify(doc);
    expect(stringify).toHaveBeenCalledTimes(5);
    expect([fast.stringify({ ...doc }), fast.stringify({ ...doc })]).toEqual([first, first]);
    expect(stringify).toHaveBeenCalledTimes(5);
    expect(fast.fallbacks).toBe(0);
  });

  test.each([
    ['odd scalars', (i: number) => `x ${i}`],
    ['multi-line texts', (i: number) => `line\n${i}\n`],
  ])('holds at most so many %s: full, it forgets them all and starts again', (_what, value) => {
    const fast = new FastYaml();
    for (let i = 0; i < REMEMBERED; i++) fast.stringify({ v: value(i) });
    fast.stringify({ v: value(0) });
    expect(stringify).toHaveBeenCalledTimes(REMEMBERED);
    fast.stringify({ v: value(REMEMBERED) }); // one more: the memory was full
    fast.stringify({ v: value(0) });
    expect(stringify).toHaveBeenCalledTimes(REMEMBERED + 2);
  });

  test('writes a plain scalar itself, without yaml', () => {
    const fast = new FastYaml();
    expect(fast.stringify({ kind: 'Kustomization', spec: { sourceRef: 'flux-system/fleet', prune: true, retries: 3 } }))
      .toBe('kind: Kustomization\nspec:\n  sourceRef: flux-system/fleet\n  prune: true\n  retries: 3\n');
    expect(stringify).not.toHaveBeenCalled();
  });

  test('writes a word that only begins like a YAML 1.1 boolean or null itself (yes-man, nginx, only, null-sink)', () => {
    const fast = new FastYaml();
    expect(fast.stringify({ a: 'yes-man', b: 'nginx', c: 'only', d: 'null-sink', e: 'Offset', f: 'trueblue' }))
      .toBe('a: yes-man\nb: nginx\nc: only\nd: null-sink\ne: Offset\nf: trueblue\n');
    expect(stringify).not.toHaveBeenCalled();
  });
});
