/** The verification report as plain text lines, in Japanese or English (CLI and static page). */
import type { FailureCode, VerificationFailure, VerificationReport } from './verify-export';

export type ReportLocale = 'ja' | 'en';

const FAILURE_TEXT: Record<FailureCode, Record<ReportLocale, string>> = {
  'invalid-export': {
    en: 'The file is not a valid fairness export',
    ja: 'ファイルが公平性エクスポートの形式ではありません',
  },
  'sequence-gap': { en: 'Ledger events are missing', ja: '台帳のイベントが欠けています' },
  'sequence-duplicate': { en: 'Two events claim one sequence number', ja: '同じ連番のイベントが二つあります' },
  'epoch-missing': {
    en: 'The pull names an epoch the export lacks',
    ja: 'エクスポートにない期間（エポック）を参照しています',
  },
  'seed-commitment-mismatch': {
    en: 'The revealed server seed does not match its published commitment',
    ja: '公開されたサーバーシードが事前に公開されたコミットメントと一致しません',
  },
  'pull-after-reveal': {
    en: 'The pull was made after its seed was revealed',
    ja: 'シードの公開後に行われた抽選です',
  },
  'rate-revision-missing': {
    en: 'The pull names a rate revision the export lacks',
    ja: 'エクスポートにない排出率の版を参照しています',
  },
  'rate-revision-hash-mismatch': {
    en: 'The rate-table revision was altered (its hash does not match)',
    ja: '排出率の版が改変されています（ハッシュが一致しません）',
  },
  'rate-revision-invalid': {
    en: 'The rate-table revision is not a valid catalog',
    ja: '排出率の版が正しいカタログではありません',
  },
  'rate-hash-mismatch': {
    en: 'The pull names a different rate-table hash than its revision',
    ja: '抽選が記録した排出率ハッシュが版のハッシュと異なります',
  },
  'pity-chain-broken': {
    en: 'The pity counter before this pull does not follow from the previous pull',
    ja: 'この抽選の前の天井カウントが直前の抽選から続いていません',
  },
  'pull-not-reproducible': { en: 'The pull cannot be recomputed', ja: '抽選を再計算できません' },
  'result-mismatch': {
    en: 'The recorded result differs from the recomputed one (history altered)',
    ja: '記録された結果が再計算の結果と異なります（履歴の改変）',
  },
};

function where(failure: VerificationFailure, locale: ReportLocale): string {
  const parts: string[] = [];
  if (failure.seq !== undefined) parts.push(locale === 'ja' ? `連番 ${failure.seq}` : `seq ${failure.seq}`);
  if (failure.slot !== undefined) parts.push(locale === 'ja' ? `枠 ${failure.slot + 1}` : `slot ${failure.slot + 1}`);
  if (failure.epoch !== undefined) parts.push(locale === 'ja' ? `エポック ${failure.epoch}` : `epoch ${failure.epoch}`);
  if (failure.revision !== undefined) {
    parts.push(locale === 'ja' ? `排出率の版 ${failure.revision}` : `rate revision ${failure.revision}`);
  }
  return parts.length > 0 ? `[${parts.join(', ')}] ` : '';
}

export function failureLine(failure: VerificationFailure, locale: ReportLocale): string {
  return `${where(failure, locale)}${FAILURE_TEXT[failure.code][locale]}: ${failure.detail}`;
}

export function reportLines(report: VerificationReport, locale: ReportLocale): string[] {
  const lines: string[] = [];
  if (locale === 'ja') {
    lines.push(
      report.ok ? '検証成功: 改変は見つかりませんでした。' : `検証失敗: ${report.failures.length} 件の問題があります。`,
    );
    lines.push(`抽選 ${report.pulls} 回 / 再計算して一致 ${report.verified} 回 / シード未公開 ${report.pending} 回`);
    if (report.unrevealedEpochs.length > 0) {
      lines.push(`未公開のエポック: ${report.unrevealedEpochs.join(', ')}（公開後にもう一度検証してください）`);
    }
  } else {
    lines.push(
      report.ok ? 'Verified: nothing was altered.' : `Verification FAILED: ${report.failures.length} problem(s).`,
    );
    lines.push(
      `${report.pulls} pulls / ${report.verified} recomputed and matching / ${report.pending} awaiting seed reveal`,
    );
    if (report.unrevealedEpochs.length > 0) {
      lines.push(`Unrevealed epochs: ${report.unrevealedEpochs.join(', ')} (verify again after they are revealed)`);
    }
  }
  for (const failure of report.failures) lines.push(`- ${failureLine(failure, locale)}`);
  return lines;
}
