// @ts-check
const Sequencer = require('@jest/test-sequencer').default;
const { statSync } = require('node:fs');
const { relative } = require('node:path');

/**
 * CI runs on a fresh clone with no jest cache, so jest's default order (file size) can leave one long suite running
 * alone on one worker at the end while the other core idles. Suites known to take long start first (longest first);
 * with a cache of earlier runs, jest's own measured durations decide as usual.
 * Seconds are CPU-heavy wall times measured on the 2-core CI machine; they only rank, they assert nothing.
 */
const KNOWN_SECONDS = {
  'test/browser/department-submission.e2e-spec.ts': 160,
  'libs/scoring/src/compiled/differential.spec.ts': 130,
  'test/e2e/fuzz.e2e-spec.ts': 120,
  'test/e2e/startup.e2e-spec.ts': 100,
  'test/e2e/multi-instance.e2e-spec.ts': 90,
  'test/e2e/impact.e2e-spec.ts': 80,
  'test/e2e/jobs.e2e-spec.ts': 70,
  'test/browser/impact.e2e-spec.ts': 60,
  'test/e2e/readme-tour.e2e-spec.ts': 50,
  'test/e2e/hardening.e2e-spec.ts': 40,
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const measured = this.time(test);
      if (measured) return measured / 1000;
      return KNOWN_SECONDS[relative(test.context.config.rootDir, test.path)] ?? 0;
    };
    const size = (test) => statSync(test.path).size;
    return [...tests].sort((a, b) => seconds(b) - seconds(a) || size(b) - size(a));
  }
}

module.exports = SlowFirstSequencer;
