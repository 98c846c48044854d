/**
 * `gacha-verify [--lang ja|en] <export.json>` — recomputes every pull of a fairness export.
 * Exit status: 0 verified (pulls of unrevealed epochs are reported, not failed), 1 verification
 * failed, 2 usage or read error.
 */
import { readFileSync } from 'node:fs';
import { type ReportLocale, reportLines } from '../../app/verifier/report-text';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { verifyExport } from '../../app/verifier/verify-export';

const USAGE = 'usage: gacha-verify [--lang ja|en] <export.json>\n使い方: gacha-verify [--lang ja|en] <export.json>\n';

export function defaultLocale(env: NodeJS.ProcessEnv): ReportLocale {
  return /^ja/i.test(env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '') ? 'ja' : 'en';
}

export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { code: number; stdout: string; stderr: string } {
  let locale = defaultLocale(env);
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--lang') {
      const value = args[++i];
      if (value !== 'ja' && value !== 'en') return { code: 2, stdout: '', stderr: USAGE };
      locale = value;
    } else if (arg === '-h' || arg === '--help') {
      return { code: 0, stdout: USAGE, stderr: '' };
    } else {
      files.push(arg);
    }
  }
  const file = files[0];
  if (files.length !== 1 || file === undefined) return { code: 2, stdout: '', stderr: USAGE };
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = locale === 'ja' ? `読み込めません: ${reason}` : `cannot read the export: ${reason}`;
    return { code: 2, stdout: '', stderr: `${message.slice(0, 500)}\n` };
  }
  const report = verifyExport(input, { hmac: nodeHmacSha256 });
  return { code: report.ok ? 0 : 1, stdout: `${reportLines(report, locale).join('\n')}\n`, stderr: '' };
}
