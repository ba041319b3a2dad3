import { join } from 'node:path';

/**
 * Node's arguments that start the API from its TypeScript entry as an operator's process would (apps/api/src/main.ts),
 * transpiled by ts-node with swc (test/support/register-swc.js), with the tsconfig paths of the libs.
 */
export const API_ENTRY = [
  '-r',
  join(__dirname, '../../support/register-swc.js'),
  '-r',
  'tsconfig-paths/register',
  'apps/api/src/main.ts',
];
