/**
 * The order of test files on a fresh clone (no durations known, as in CI): `@long-running` files
 * first, then the other e2e files, then the rest by size; jest's own rules (failed first, known
 * durations longest first) kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

interface FakeTest {
  readonly path: string;
  duration?: number;
  readonly context: {
    readonly config: {
      readonly displayName: { readonly name: string };
      readonly cache: boolean;
      readonly id: string;
      readonly cacheDirectory: string;
    };
    readonly hasteFS: { getSize(file: string): number | null };
  };
}
interface SequencerModule {
  new (options: object): { sort(tests: FakeTest[]): FakeTest[] };
  saysLongRunning(file: string): boolean;
}

const load = createRequire(__filename);
const Sequencer = load('./test-sequencer.js') as SequencerModule;
const repoRoot = path.resolve(__dirname, '../..');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-sequencer-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('saysLongRunning', () => {
  it('reads the tag from the opening block comment only', () => {
    expect(
      Sequencer.saysLongRunning(file('a.test.ts', '/**\n * Drills.\n * @long-running minutes\n */\nit();\n')),
    ).toBe(true);
    expect(Sequencer.saysLongRunning(file('b.test.ts', '/**\n * Quick.\n */\n// @long-running\nit();\n'))).toBe(false);
    expect(Sequencer.saysLongRunning(file('c.test.ts', "import x from 'y';\n/**\n * @long-running\n */\n"))).toBe(
      false,
    );
    expect(Sequencer.saysLongRunning(file('d.test.ts', '/**\n * mentions @long-running-ish things\n */\n'))).toBe(
      false,
    );
  });

  it('is set on the files that lasted a minute or more in CI', () => {
    for (const file of [
      'test/drills/overload-drills.test.ts',
      'test/drills/fault-drills.test.ts',
      'test/fairness/verify-real-pulls.test.ts',
      'test/storage/backpressure.test.ts',
      'test/storage/trades.test.ts',
      'test/storage/projection-writer.test.ts',
      'test/storage/trade-counter.test.ts',
    ]) {
      expect(Sequencer.saysLongRunning(path.join(repoRoot, file))).toBe(true);
    }
  });
});

describe('sort without durations', () => {
  it('hands out long-running files first, then e2e files, then the rest; by size within each', () => {
    const sizes = new Map<string, number>();
    const test = (name: string, project: string, size: number, text = '/** A test. */\n'): FakeTest => {
      const p = file(name, text);
      sizes.set(p, size);
      return {
        path: p,
        context: {
          config: { displayName: { name: project }, cache: false, id: project, cacheDirectory: dir },
          hasteFS: { getSize: (f) => sizes.get(f) ?? null },
        },
      };
    };
    const long = '/**\n * Drills.\n * @long-running minutes\n */\n';
    const tests = [
      test('small-integration.test.ts', 'integration', 100),
      test('big-integration.test.ts', 'integration', 9_000),
      test('small-e2e.test.ts', 'e2e', 200),
      test('big-e2e.test.ts', 'e2e', 8_000),
      test('long-small.test.ts', 'e2e', 300, long),
      test('long-integration.test.ts', 'integration', 50, long),
    ];
    const order = new Sequencer({}).sort(tests).map((t) => path.basename(t.path));
    expect(order).toEqual([
      'long-small.test.ts',
      'long-integration.test.ts',
      'big-e2e.test.ts',
      'small-e2e.test.ts',
      'big-integration.test.ts',
      'small-integration.test.ts',
    ]);
  });
});
