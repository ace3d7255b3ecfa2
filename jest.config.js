/** Jest runs the TypeScript sources through ts-jest; `npm test` type-checks everything first (tsc -b). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
