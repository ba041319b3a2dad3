// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const PURE_LIB_BANS = {
  paths: [
    { name: 'fs', message: 'libs/rules and libs/scoring are pure: no I/O.' },
    { name: 'node:fs', message: 'libs/rules and libs/scoring are pure: no I/O.' },
    { name: 'process', message: 'libs/rules and libs/scoring are pure: no environment.' },
    { name: 'typeorm', message: 'libs/rules and libs/scoring are pure: no database.' },
    { name: 'mysql2', message: 'libs/rules and libs/scoring are pure: no database.' },
  ],
  patterns: [
    { group: ['@nestjs/*'], message: 'libs/rules and libs/scoring are pure: no NestJS.' },
    { group: ['@jiping/*/src/*', '**/libs/*/src/*'], message: 'Import a lib through its index (@jiping/<lib>).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', '*.js', '*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // CommonJS for node -r (test/support/register-swc.js)
    files: ['test/support/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/rules/src/**/*.ts', 'libs/scoring/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', PURE_LIB_BANS],
      'no-restricted-globals': ['error', { name: 'process', message: 'libs/rules and libs/scoring are pure.' }],
    },
  },
  {
    files: ['libs/rules/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...PURE_LIB_BANS,
          patterns: [
            ...PURE_LIB_BANS.patterns,
            { group: ['@jiping/*'], message: 'libs/rules depends on no other lib.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      // Specs edit parsed rule files and submissions freely to break one thing at a time.
      '@typescript-eslint/no-explicit-any': 'off',
      // describe(fn.name, …) is the house style (style.md §6).
      'jest/valid-title': ['error', { ignoreTypeOfDescribeName: true }],
    },
  },
);
