/** @type {import('jest').Config} */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/{apps,libs,test}/**/*.spec.ts',
    '<rootDir>/libs/**/*.integration-spec.ts',
    '<rootDir>/test/e2e/**/*.e2e-spec.ts',
    '<rootDir>/test/browser/**/*.e2e-spec.ts',
  ],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  moduleNameMapper: {
    '^@jiping/rules$': '<rootDir>/libs/rules/src',
    '^@jiping/scoring$': '<rootDir>/libs/scoring/src',
    '^@jiping/scoring-workers$': '<rootDir>/libs/scoring-workers/src',
    '^@jiping/persistence$': '<rootDir>/libs/persistence/src',
    '^@jiping/reports$': '<rootDir>/libs/reports/src',
  },
};
