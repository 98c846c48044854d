/**
 * `gacha-verify` as a player runs it: `npx gacha-verify <export.json>` in a child process, with
 * its exit status and its report in both languages.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ExportedPull } from '../../app/verifier/export-format';
import { buildVerifier } from '../../scripts/build-verifier';
import { simulateHistory } from './support/fairness-fixtures';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;

/** Runs the bundle built for this test, or with `viaNpx` the package's bin as `npx gacha-verify`. */
async function gachaVerify(args: string[], env: Record<string, string> = {}, viaNpx = false) {
  const [command, prefix] = viaNpx
    ? ['npx', ['--offline', 'gacha-verify']]
    : [process.execPath, [path.join(dir, 'dist', 'gacha-verify.cjs')]];
  try {
    const { stdout, stderr } = await run(command, [...prefix, ...args], {
      cwd: ROOT,
      env: { ...process.env, LANG: 'C', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gacha-verify-'));
  await buildVerifier(path.join(dir, 'dist'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('gacha-verify', () => {
  const { exported } = simulateHistory(300, { perEpoch: 100 });

  it('verifies an untouched export (exit 0) and answers in Japanese under a ja locale', async () => {
    const file = path.join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(exported));
    const en = await gachaVerify([file], {}, true);
    expect(en).toMatchObject({ code: 0, stderr: '' });
    expect(en.stdout).toContain('Verified: nothing was altered.');
    expect(en.stdout).toContain('300 pulls / 300 recomputed and matching');
    const ja = await gachaVerify([file], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stdout).toContain('検証成功');
  });

  it('fails (exit 1) on an altered history document and names its sequence and slot', async () => {
    const altered = structuredClone(exported);
    const pull = altered.events.filter((e): e is ExportedPull => e.kind === 'pull')[42]!;
    pull.items[0]!.featured = !pull.items[0]!.featured;
    const file = path.join(dir, 'altered.json');
    writeFileSync(file, JSON.stringify(altered));
    const result = await gachaVerify(['--lang', 'en', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`[seq ${pull.seq}, slot 1] The recorded result differs from the recomputed one`);
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await gachaVerify([])).code).toBe(2);
    const missing = await gachaVerify([path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the export');
  });
});
