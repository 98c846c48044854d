/**
 * The renderer works from the esbuild bundle the way the host runs it: a bundle in a directory far
 * from the repository's node_modules, with only what `installRendererRuntime` ships beside it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { botBuildOptions, installRendererRuntime } from '../../scripts/bot-build-options';

describe('renderer in the bundle', () => {
  let dir = '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the native canvas and the bundled font from beside the bundle and renders pulls', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-render-bundle-'));
    const outfile = path.join(dir, 'index.js');
    await build({
      ...botBuildOptions(outfile),
      entryPoints: [path.resolve(__dirname, 'bundled-render-entry.ts')],
      logLevel: 'error',
    });
    // Without the runtime beside it the bundle cannot load the native module (it is external).
    expect(() => execFileSync(process.execPath, [outfile], { cwd: dir, stdio: 'pipe' })).toThrow(/@napi-rs\/canvas/);
    installRendererRuntime(dir);
    expect(
      existsSync(path.join(dir, 'node_modules', '@napi-rs', 'canvas-linux-x64-gnu', 'skia.linux-x64-gnu.node')),
    ).toBe(true);
    const output = execFileSync(process.execPath, [outfile], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      timeout: 30_000,
    }).toString();
    const result = JSON.parse(output) as { font: string; sheet: number[]; single: number[]; jpeg: string };
    expect(result.font).toBe(path.join(dir, 'fonts', 'NotoSansJP-Bold.otf'));
    expect(result.sheet.slice(0, 2)).toEqual([848, 472]);
    expect(result.sheet[2]).toBeLessThanOrEqual(300 * 1024);
    expect(result.single[0]).toBe(320);
    expect(result.jpeg).toBe('ffd8ff');
  });
});
