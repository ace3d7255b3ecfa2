import { checkRules } from '../../src/validate-dist/cel-rules';

const schema = {
  type: 'object',
  properties: {
    kubeConfig: {
      type: 'object',
      properties: { secretRef: { type: 'object' }, configMapRef: { type: 'object' } },
      'x-kubernetes-validations': [
        { message: 'exactly one of configMapRef or secretRef must be specified', rule: 'has(self.configMapRef) || has(self.secretRef)' },
        { message: 'exactly one of configMapRef or secretRef must be specified', rule: '!has(self.configMapRef) || !has(self.secretRef)' },
      ],
    },
    policies: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: "self.name.startsWith('p-')" }] },
    },
    labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 3', message: 'too long' }] } },
    immutable: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] },
    exotic: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.lowerAscii() == self' }] },
  },
};

describe('CEL validation rules (x-kubernetes-validations)', () => {
  test('pass when every rule holds', () => {
    expect(checkRules(schema, { kubeConfig: { secretRef: {} }, policies: [{ name: 'p-1' }], labels: { a: 'abc' }, immutable: 'x' }))
      .toEqual({ errors: [], unevaluated: [] });
  });

  test('fails if a rule does not hold, naming the node and the rule', () => {
    expect(checkRules(schema, {
      kubeConfig: { secretRef: {}, configMapRef: {} }, policies: [{ name: 'p-1' }, { name: 'q' }], labels: { a: 'abcd' },
    }, 'spec').errors).toEqual([
      {
        path: 'spec.kubeConfig', message: 'exactly one of configMapRef or secretRef must be specified (rule: !has(self.configMapRef) || !has(self.secretRef))',
      },
      { path: 'spec.policies[1]', message: "failed validation rule (rule: self.name.startsWith('p-'))" },
      { path: 'spec.labels.a', message: 'too long (rule: self.size() <= 3)' },
    ]);
  });

  test('skips transition rules (oldSelf): they run on updates only', () => {
    expect(checkRules(schema, { immutable: 'anything' })).toEqual({ errors: [], unevaluated: [] });
  });

  test('reports a rule it cannot evaluate as unevaluated, not as passed or failed', () => {
    expect(checkRules(schema, { exotic: 'ABC' })).toEqual({
      errors: [],
      unevaluated: [{ path: 'exotic', message: 'rule "self.lowerAscii() == self" not evaluated: unbound function: lowerAscii' }],
    });
  });
});
