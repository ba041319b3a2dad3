// @ts-check
// A CommonJS file Nest's webpack build requires (eslint lints it as a browser module otherwise).
/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
'use strict';
const { withScoringWorker } = require('../../libs/scoring-workers/webpack-entry');

/** `nest build api`: main.js, and the scoring worker as scoring-worker.js next to it (libs/scoring-workers). */
module.exports = withScoringWorker;
