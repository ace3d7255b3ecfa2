/** Jest runs the TypeScript sources through ts-jest; `npm test` type-checks everything first (tsc -b). */
module.exports = {
  testEnvironment: 'node',
  // src/ is a root too (it holds no tests): `jest --findRelatedTests src/...`, which Stryker runs for each mutant, follows imports through it.
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
