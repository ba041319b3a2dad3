#!/usr/bin/env node
'use strict';
// The jiping CLI, bundled by `npm run build` (nest build cli → webpack) into dist/apps/cli/main.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    `jiping: the CLI is not built (${main} is missing); run "npm run build" in ${join(__dirname, '..')}\n`,
  );
  process.exit(1);
}
require(main);
