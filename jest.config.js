/** @type {import('jest').Config} */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  // Two workers on the 2-core CI machine: most suites wait on MariaDB, Redis, spawned API processes or Chromium,
  // so jest's default (cores − 1 = one worker) leaves a core idle and CI near its 20-minute budget.
  maxWorkers: 2,
  // longest suites first, so neither worker ends the run alone on a long one (jest.sequencer.js)
  testSequencer: '<rootDir>/jest.sequencer.js',
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
