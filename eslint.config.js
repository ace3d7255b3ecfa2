// ESLint (npm run lint; npm test runs it): typescript-eslint's recommended rules, a line length,
// import order, no import cycles, and the pipeline's direction: each stage imports only the stages
// before it (fleet -> catalog -> planner -> gates -> constructs -> charts -> output; report, rbac
// and validate-dist beside them).
'use strict';
const importPlugin = require('eslint-plugin-import');
const tseslint = require('typescript-eslint');

/** What each folder of src/ may import from src/ (besides itself). */
const MAY_IMPORT = {
  input: [],
  fleet: ['input'],
  catalog: ['input', 'fleet'],
  planner: ['input', 'fleet', 'catalog'],
  gates: ['input', 'fleet', 'catalog', 'planner'],
  constructs: ['input', 'fleet', 'catalog', 'planner', 'gates'],
  charts: ['input', 'fleet', 'catalog', 'planner', 'gates', 'constructs', 'progress.ts'],
  report: ['input', 'fleet', 'catalog', 'planner', 'gates', 'rbac'],
  output: ['input', 'fleet', 'charts'],
  // the access each identity needs, from the plan and its gates; written with output's files and YAML
  rbac: ['input', 'fleet', 'catalog', 'planner', 'gates', 'output'],
  status: ['input', 'fleet', 'catalog', 'planner', 'gates', 'report'],
  'validate-dist': ['input'],
};

module.exports = tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'imports/**', 'dist/**', '.cdk8s.out/**', 'reports/**', '.stryker-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
      'import/order': ['error', {
        groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']],
        'newlines-between': 'never',
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      'import/no-cycle': 'error',
      'import/no-restricted-paths': ['error', {
        zones: Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
          target: `./src/${folder}`,
          from: './src',
          except: [`./${folder}`, ...allowed.map((a) => `./${a}`)],
          message: `src/${folder}/ may import only ${[folder, ...allowed].join(', ')} from src/ (the pipeline's direction)`,
        })),
      }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
