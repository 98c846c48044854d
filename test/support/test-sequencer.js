/**
 * The order jest hands test files to its workers. Jest's own order (kept here): files that failed
 * last time first, then files it has no duration for, then the rest, longest first; files without
 * a duration are sorted by size, the bigger first.
 *
 * Added, among the files without a duration (a fresh clone, as in CI, has none at all):
 *  1. first the files that say they last minutes: a `@long-running` tag in their opening comment
 *     (the fault and overload drills). Started late, such a file runs alone on one worker while
 *     the other has nothing left to do; started first, the short files fill the other worker.
 *  2. then the `e2e` project's other files: each starts bundled bot processes and lasts from ten
 *     seconds to a minute whatever its size, while most `integration` files last seconds. By size
 *     alone a short e2e file that runs for a minute (mixed-load, identify-coordination) started
 *     among the last files.
 *  3. then the rest, by size.
 *
 * Plain JavaScript: jest loads a sequencer without its transform (as it loads jest.config.js).
 */
const { openSync, readSync, closeSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** The tag, in the file's opening block comment (read from its first 4 KiB). */
const LONG_RUNNING = /^\s*\*\s*@long-running\b/m;

/** @param {string} file */
function saysLongRunning(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const read = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, read).toString('utf8');
    const opening = /^\s*\/\*\*[\s\S]*?\*\//.exec(text);
    return opening !== null && LONG_RUNNING.test(opening[0]);
  } finally {
    closeSync(fd);
  }
}

/** @param {import('@jest/test-result').Test} test */
const isE2e = (test) => test.context.config.displayName?.name === 'e2e';

class GachaSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const sorted = super.sort(tests);
    // Jest's groups, in its order, with the files without a duration split in three.
    /** @param {import('@jest/test-result').Test} test */
    const group = (test) => {
      if (this.hasFailed(test)) return 0;
      if (test.duration != null) return 4;
      if (saysLongRunning(test.path)) return 1;
      return isE2e(test) ? 2 : 3;
    };
    const groups = new Map(sorted.map((test) => [test, group(test)]));
    // Array.prototype.sort is stable: within a group, jest's order stays.
    return sorted.sort((a, b) => (groups.get(a) ?? 0) - (groups.get(b) ?? 0));
  }
}

module.exports = GachaSequencer;
module.exports.saysLongRunning = saysLongRunning;
