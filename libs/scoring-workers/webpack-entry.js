// @ts-check
// A CommonJS file Nest's webpack build requires (eslint lints it as a browser module otherwise).
/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
'use strict';
const { join, posix } = require('node:path');

/**
 * Adds the scoring worker (src/scoring-worker.ts) and the inline rules worker (src/inline-rules-worker.ts) to a Nest
 * app's webpack build as entries of their own, emitted as scoring-worker.js and inline-rules-worker.js next to the
 * app's main.js: ScoringPool, bundled into main.js, starts the worker from there
 * (relative to __dirname). Everything else — node externals, ts-loader, the tsconfig paths — stays as Nest set it.
 *
 * @param {import('webpack').Configuration & { entry: string, output: { filename: string } }} options Nest's defaults
 * @returns {import('webpack').Configuration}
 */
function withScoringWorker(options) {
  const outputDir = posix.dirname(options.output.filename.split('\\').join('/'));
  return {
    ...options,
    entry: {
      main: options.entry,
      'scoring-worker': join(__dirname, 'src', 'scoring-worker.ts'),
      'inline-rules-worker': join(__dirname, 'src', 'inline-rules-worker.ts'),
    },
    output: { ...options.output, filename: `${outputDir}/[name].js` },
  };
}

module.exports = { withScoringWorker };
