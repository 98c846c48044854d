/**
 * The operator's digest as text, in Japanese and/or English: one section per review topic, each
 * figure marked when it needs attention, "no data" where a source was silent. The text fits one
 * Discord embed description (≤ 4,096) and an SNS e-mail.
 */
import type { CountByLabel, DigestData, InstancePatchSummary } from './digest-data';

export type DigestLanguage = 'ja' | 'en';

/** Thresholds at which a figure is flagged ("⚠") in the digest. */
export const ATTENTION = {
  errorsPerWeek: 20,
  latencyP99Ms: 1_500,
  minHeadroomPercent: 10,
  rest429: 20,
  minCpuCredits: 20,
  maxMemoryPercent: 80,
  maxDiskPercent: 80,
  backupAgeHours: 26,
  /** Patch Manager runs weekly: an older last run means the association did not run. */
  patchRunAgeDays: 8,
  costOverEstimate: 1.2,
} as const;

const WORDS = {
  en: {
    title: (kind: string, env: string) => `Gacha bot ${env}: ${kind === 'weekly' ? 'weekly' : 'monthly'} review`,
    period: 'Period',
    errors: 'Errors',
    byKind: 'by kind',
    top: 'most frequent',
    usage: 'Usage',
    interactions: 'interactions',
    latency: 'latency p50 / p99',
    pulls: 'items pulled',
    players: 'active players',
    discord: 'Discord API',
    headroom: 'lowest rate-limit headroom',
    rest429: '429 answers',
    host: 'Host',
    credits: 'lowest CPU credit balance',
    memory: 'memory peak',
    disk: 'disk peak',
    updates: (id: string) => `OS updates ${id}`,
    patchCounts: (missing: string, failed: string, reboot: string) =>
      `${missing} missing, ${failed} failed, ${reboot} installed pending reboot`,
    patchRun: (operation: string, at: string) => ` (last ${operation === 'Install' ? 'install' : 'scan'} ended ${at})`,
    neverScanned: 'never scanned by Patch Manager',
    backup: 'Backups',
    backupRuns: 'good / failed runs',
    backupAge: 'hours since the last good backup',
    cost: 'Cost',
    actual: 'actual',
    estimate: 'estimate (npm run cost)',
    noData: 'no data',
    none: 'none',
    ok: 'Nothing needs attention.',
    attention: (n: number) => `${n} figure${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} attention (⚠).`,
  },
  ja: {
    title: (kind: string, env: string) => `ガチャBot ${env}：${kind === 'weekly' ? '週次' : '月次'}レビュー`,
    period: '期間',
    errors: 'エラー',
    byKind: '種類別',
    top: '多いメッセージ',
    usage: '利用状況',
    interactions: 'コマンド数',
    latency: '応答時間 p50 / p99',
    pulls: '排出数',
    players: 'アクティブプレイヤー',
    discord: 'Discord API',
    headroom: 'レート制限の最小余裕',
    rest429: '429応答',
    host: 'ホスト',
    credits: 'CPUクレジット最小残高',
    memory: 'メモリ最大',
    disk: 'ディスク最大',
    updates: (id: string) => `OS更新 ${id}`,
    patchCounts: (missing: string, failed: string, reboot: string) =>
      `未適用 ${missing}・失敗 ${failed}・再起動待ち ${reboot}`,
    patchRun: (operation: string, at: string) =>
      `（最終${operation === 'Install' ? 'インストール' : 'スキャン'}：${at} 終了）`,
    neverScanned: 'Patch Managerのスキャン記録なし',
    backup: 'バックアップ',
    backupRuns: '成功／失敗',
    backupAge: '最後の正常バックアップからの時間',
    cost: '費用',
    actual: '実績',
    estimate: '見積もり（npm run cost）',
    noData: 'データなし',
    none: 'なし',
    ok: '対応が必要な項目はありません。',
    attention: (n: number) => `要確認の項目が${n}件あります（⚠）。`,
  },
} as const;

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

class Lines {
  readonly lines: string[] = [];
  flagged = 0;
  constructor(
    private readonly lang: DigestLanguage,
    private readonly noData: string,
  ) {}

  num(value: number | undefined, digits = 0, unit = ''): string {
    if (value === undefined) return this.noData;
    const locale = this.lang === 'ja' ? 'ja-JP' : 'en-US';
    return `${value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;
  }

  /** A figure, flagged when `bad` says so (missing data is flagged too where it matters). */
  add(label: string, text: string, bad: boolean): void {
    if (bad) this.flagged += 1;
    this.lines.push(`${bad ? '⚠ ' : '・'}${label}: ${text}`);
  }
}

function counts(list: readonly CountByLabel[], none: string, max: number): string {
  if (list.length === 0) return none;
  return list
    .slice(0, max)
    .map((c) => `${clip(c.label, 80)} ×${c.count}`)
    .join(', ');
}

/** One host's OS updates, flagged when anything is missing, failed, waits for a reboot, or the last run is old. */
function osUpdatesLine(l: Lines, lang: DigestLanguage, host: InstancePatchSummary, now: Date): void {
  const w = WORDS[lang];
  const state = host.state;
  if (state === undefined) {
    l.add(w.updates(host.instanceId), w.neverScanned, true);
    return;
  }
  const at = `${state.operationEnd.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const stale = now.getTime() - state.operationEnd.getTime() > ATTENTION.patchRunAgeDays * 86_400_000;
  l.add(
    w.updates(host.instanceId),
    `${w.patchCounts(l.num(state.missing), l.num(state.failed), l.num(state.installedPendingReboot))}${w.patchRun(state.operation, at)}`,
    state.missing > 0 || state.failed > 0 || state.installedPendingReboot > 0 || stale,
  );
}

export function digestText(data: DigestData, lang: DigestLanguage): { title: string; body: string } {
  const w = WORDS[lang];
  const l = new Lines(lang, w.noData);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  l.lines.push(`${w.period}: ${day(data.start)} – ${day(data.end)} (UTC)`);

  l.lines.push('', `【${w.errors}】`);
  const errors = data.errors.total ?? 0;
  l.add(w.errors, l.num(data.errors.total ?? 0), errors >= ATTENTION.errorsPerWeek);
  l.add(w.byKind, counts(data.errors.byKind, w.none, 6), false);
  l.add(w.top, counts(data.errors.topMessages, w.none, 5), false);

  l.lines.push('', `【${w.usage}】`);
  l.add(w.interactions, l.num(data.usage.interactions), false);
  l.add(
    w.latency,
    `${l.num(data.usage.latencyP50Ms, 0, ' ms')} / ${l.num(data.usage.latencyP99Ms, 0, ' ms')}`,
    (data.usage.latencyP99Ms ?? 0) > ATTENTION.latencyP99Ms,
  );
  l.add(w.pulls, l.num(data.usage.pulls), false);
  l.add(w.players, l.num(data.usage.activePlayers), false);

  l.lines.push('', `【${w.discord}】`);
  l.add(
    w.headroom,
    l.num(data.discord.minHeadroomPercent, 0, ' %'),
    (data.discord.minHeadroomPercent ?? 100) < ATTENTION.minHeadroomPercent,
  );
  l.add(w.rest429, l.num(data.discord.rest429 ?? 0), (data.discord.rest429 ?? 0) >= ATTENTION.rest429);

  l.lines.push('', `【${w.host}】`);
  l.add(
    w.credits,
    l.num(data.host.minCpuCreditBalance, 1),
    data.host.minCpuCreditBalance !== undefined && data.host.minCpuCreditBalance < ATTENTION.minCpuCredits,
  );
  // Missing agent metrics mean the agent (or the host) was down: that needs a look.
  l.add(
    w.memory,
    l.num(data.host.maxMemoryPercent, 0, ' %'),
    data.host.maxMemoryPercent === undefined || data.host.maxMemoryPercent > ATTENTION.maxMemoryPercent,
  );
  l.add(
    w.disk,
    l.num(data.host.maxDiskPercent, 0, ' %'),
    data.host.maxDiskPercent === undefined || data.host.maxDiskPercent > ATTENTION.maxDiskPercent,
  );
  for (const host of data.host.osUpdates) osUpdatesLine(l, lang, host, data.end);

  l.lines.push('', `【${w.backup}】`);
  l.add(
    w.backupRuns,
    `${l.num(data.backup.successes ?? 0)} / ${l.num(data.backup.failures ?? 0)}`,
    (data.backup.failures ?? 0) > 0 || (data.backup.successes ?? 0) === 0,
  );
  l.add(
    w.backupAge,
    l.num(data.backup.ageHours, 1, ' h'),
    data.backup.ageHours === undefined || data.backup.ageHours > ATTENTION.backupAgeHours,
  );

  if (data.cost) {
    l.lines.push('', `【${w.cost} ${data.cost.month}】`);
    const over =
      data.cost.actualUsd !== undefined &&
      data.cost.estimateUsd !== undefined &&
      data.cost.actualUsd > data.cost.estimateUsd * ATTENTION.costOverEstimate;
    l.add(w.actual, l.num(data.cost.actualUsd, 2, ' USD'), over);
    l.add(w.estimate, l.num(data.cost.estimateUsd, 2, ' USD'), false);
  }

  l.lines.push('', l.flagged === 0 ? w.ok : w.attention(l.flagged));
  return { title: clip(w.title(data.kind, data.environment), 100), body: l.lines.join('\n') };
}

/** The digest in each chosen language, one after the other (a language chosen twice is shown once). */
export function digestMessage(
  data: DigestData,
  languages: readonly DigestLanguage[],
): { subject: string; text: string; embeds: { title: string; description: string; color: number }[] } {
  const unique = [...new Set(languages.length > 0 ? languages : (['en'] as const))];
  const parts = unique.map((lang) => digestText(data, lang));
  const attention = parts.some((p) => p.body.includes('⚠'));
  // Discord: ≤ 4,096 per description and ≤ 6,000 for all embeds of a message together.
  const perEmbed = Math.min(4_096, Math.floor(5_600 / parts.length));
  return {
    subject: parts
      .map((p) => p.title)
      .join(' / ')
      .slice(0, 99),
    text: parts.map((p) => `${p.title}\n\n${p.body}`).join('\n\n────────\n\n'),
    embeds: parts.map((p) => ({
      title: p.title.slice(0, 256),
      description: p.body.length <= perEmbed ? p.body : `${p.body.slice(0, perEmbed - 1)}…`,
      color: attention ? 0x9a6700 : 0x2da44e,
    })),
  };
}
