/**
 * The order jest hands test files to its workers. Jest's own order (kept here): files that failed
 * last time first, then files it has no duration for, then the rest, longest first; files without
 * a duration are sorted by size, the bigger first.
 *
 * Added: among the files without a duration, the `e2e` project's go first. Each of them starts
 * bundled bot processes and lasts from half a minute to several minutes, whatever its size, while
 * most `integration` files last seconds. On a fresh clone (CI) jest has no durations at all, and by
 * size alone a short e2e file that runs for minutes (mixed-load, identify-coordination) started
 * among the last files and ran on one worker while the other had nothing left to do.
 *
 * Plain JavaScript: jest loads a sequencer without its transform (as it loads jest.config.js).
 */
const Sequencer = require('@jest/test-sequencer').default;

/** @param {import('@jest/test-result').Test} test */
const isE2e = (test) => test.context.config.displayName?.name === 'e2e';

class GachaSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const sorted = super.sort(tests);
    // Jest's groups, in its order, with the files without a duration split in two (e2e first).
    /** @param {import('@jest/test-result').Test} test */
    const group = (test) => {
      if (this.hasFailed(test)) return 0;
      if (test.duration != null) return 3;
      return isE2e(test) ? 1 : 2;
    };
    // Array.prototype.sort is stable: within a group, jest's order stays.
    return sorted.sort((a, b) => group(a) - group(b));
  }
}

module.exports = GachaSequencer;
