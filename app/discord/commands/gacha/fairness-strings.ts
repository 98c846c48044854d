/**
 * Text of /gacha seed, verify, audit and history-export in Japanese and English. Every entry takes
 * the same typed parameters in both languages (checked by test/discord/i18n.test.ts).
 */
import type { Locale } from '../../../domain/catalog';
import type { AuditPeriodName } from '../../../services/fairness-service';

export interface FairnessStrings {
  readonly seedTitle: string;
  readonly seedEpoch: (p: { readonly epoch: number; readonly started: string }) => string;
  readonly seedCommitment: string;
  readonly seedNextCommitment: string;
  readonly seedClient: string;
  readonly seedClientNone: string;
  readonly seedLastRevealed: (p: { readonly epoch: number }) => string;
  readonly seedNoneRevealed: string;
  /** `seed`, `verify`: mentions of /gacha seed and /gacha verify (in the description: footers show no mentions). */
  readonly seedHow: (p: { readonly seed: string; readonly verify: string }) => string;
  readonly seedSet: (p: { readonly client: string }) => string;
  readonly seedInvalid: (p: { readonly max: number }) => string;

  readonly verifyTitle: (p: { readonly seq: number }) => string;
  readonly verifyNone: string;
  readonly verifyNoneAt: (p: { readonly seq: number }) => string;
  readonly verifyPull: (p: { readonly count: number; readonly banner: string; readonly at: string }) => string;
  readonly verifyEpoch: (p: { readonly epoch: number }) => string;
  readonly verifyServerSeed: string;
  readonly verifyServerSeedHidden: string;
  readonly verifyClientSeed: string;
  readonly verifyRateTable: (p: { readonly revision: number }) => string;
  readonly verifyOk: (p: { readonly count: number }) => string;
  readonly verifyPending: string;
  readonly verifyFailed: (p: { readonly detail: string }) => string;

  readonly auditTitle: (p: { readonly banner: string; readonly period: string }) => string;
  readonly period: Readonly<Record<AuditPeriodName, string>>;
  readonly auditTiers: string;
  readonly auditTierLine: (p: {
    readonly tier: string;
    readonly observed: string;
    readonly low: string;
    readonly high: string;
    readonly expected: string;
    readonly base: string;
  }) => string;
  readonly auditTests: string;
  readonly auditFreshTest: (p: { readonly pulls: string; readonly p: string }) => string;
  readonly auditConsolidatedTest: (p: { readonly pulls: string; readonly p: string }) => string;
  readonly auditPullsToTop: (p: {
    readonly runs: string;
    readonly observed: string;
    readonly published: string;
    readonly p: string;
  }) => string;
  readonly auditNoTest: string;
  readonly auditVerdict: string;
  readonly auditNote: (p: { readonly revision: number }) => string;

  readonly exportDone: (p: { readonly pulls: number; readonly verified: number; readonly pending: number }) => string;
  readonly exportTruncated: (p: { readonly events: number }) => string;
  readonly exportEmpty: string;
}

export const FAIRNESS_STRINGS: Record<Locale, FairnessStrings> = {
  en: {
    seedTitle: 'Fairness seeds',
    seedEpoch: (p) =>
      `Epoch ${p.epoch}, started ${p.started}. Every pull draws from this epoch's secret server seed, your client seed, your pull's sequence number and slot.`,
    seedCommitment: "Commitment (SHA-256 of this epoch's server seed)",
    seedNextCommitment: 'Commitment of the next epoch',
    seedClient: 'Your client seed',
    seedClientNone: '(not set: the empty seed)',
    seedLastRevealed: (p) => `Revealed server seed of epoch ${p.epoch}`,
    seedNoneRevealed: 'No seed revealed yet: an epoch is revealed after the next one started.',
    seedHow: (p) => `Set your own client seed with ${p.seed} (option client-seed) — check any pull with ${p.verify}.`,
    seedSet: (p) => `Your client seed is now ${p.client}. It applies from your next pull.`,
    seedInvalid: (p) =>
      `A client seed is 1 to ${p.max} printable ASCII characters without spaces. Nothing was changed.`,

    verifyTitle: (p) => `Pull #${p.seq}`,
    verifyNone: 'You have no verifiable pull yet.',
    verifyNoneAt: (p) => `You have no verifiable pull at #${p.seq}.`,
    verifyPull: (p) => `${p.count === 1 ? 'Single pull' : `${p.count}-pull`} on ${p.banner}, ${p.at}`,
    verifyEpoch: (p) => `Epoch ${p.epoch} commitment`,
    verifyServerSeed: 'Server seed (revealed)',
    verifyServerSeedHidden: 'Not revealed yet: it is published after this epoch ends.',
    verifyClientSeed: 'Client seed',
    verifyRateTable: (p) => `Rate table: revision ${p.revision}, SHA-256`,
    verifyOk: (p) => `✅ Verified: recomputed from these inputs, all ${p.count} results match.`,
    verifyPending:
      '⏳ Cannot be checked yet: the server seed is revealed after the epoch ends. The commitment above already fixes it.',
    verifyFailed: (p) => `❌ Does not verify: ${p.detail}`,

    auditTitle: (p) => `Audit · ${p.banner} · ${p.period}`,
    period: { day: 'last 24 hours', week: 'last 7 days', month: 'last 30 days', all: 'all time' },
    auditTiers: 'Observed vs published (95% range)',
    auditTierLine: (p) =>
      `**${p.tier}** ${p.observed} (${p.low}–${p.high}) · expected with pity ${p.expected} · base ${p.base}`,
    auditTests: 'Tests',
    auditFreshTest: (p) => `Fresh-pity pulls vs base rates: ${p.pulls} pulls, p = ${p.p}`,
    auditConsolidatedTest: (p) => `All pulls vs rates with pity: ${p.pulls} pulls, p = ${p.p}`,
    auditPullsToTop: (p) =>
      `Pulls to the top tier: ${p.runs} runs, mean ${p.observed} (published ${p.published}), p = ${p.p}`,
    auditNoTest: 'not enough data',
    auditVerdict: 'Verdict',
    auditNote: (p) =>
      `Each test at α = 0.001 (a fair server is flagged about 1 time in 330). Compared with the rates in force now (settings revision ${p.revision}).`,

    exportDone: (p) =>
      `Your history: ${p.pulls} pulls (${p.verified} verifiable now, ${p.pending} waiting for their seed's reveal). Check every result yourself with \`npx gacha-verify gacha-history.json\` or the verifier page; it needs nothing from the bot.`,
    exportTruncated: (p) => `The file holds your newest ${p.events} ledger entries (a Discord file is at most 10 MB).`,
    exportEmpty: 'You have no history to export yet.',
  },
  ja: {
    seedTitle: '公平性シード',
    seedEpoch: (p) =>
      `エポック${p.epoch}（開始 ${p.started}）。すべての抽選は、このエポックの秘密のサーバーシード、あなたのクライアントシード、抽選の通し番号と枠番号から決まります。`,
    seedCommitment: 'コミットメント（このエポックのサーバーシードの SHA-256）',
    seedNextCommitment: '次のエポックのコミットメント',
    seedClient: 'あなたのクライアントシード',
    seedClientNone: '（未設定：空のシード）',
    seedLastRevealed: (p) => `公開済みサーバーシード（エポック${p.epoch}）`,
    seedNoneRevealed: 'まだ公開されたシードはありません。エポックのシードは次のエポックの開始後に公開されます。',
    seedHow: (p) =>
      `自分のクライアントシードは ${p.seed} の「クライアントシード」で設定できます。抽選の検証は ${p.verify} で。`,
    seedSet: (p) => `クライアントシードを ${p.client} に設定しました。次の抽選から使われます。`,
    seedInvalid: (p) => `クライアントシードは空白を含まない半角英数記号1〜${p.max}文字です。変更はしていません。`,

    verifyTitle: (p) => `抽選 #${p.seq}`,
    verifyNone: '検証できる抽選はまだありません。',
    verifyNoneAt: (p) => `#${p.seq}に検証できる抽選はありません。`,
    verifyPull: (p) => `${p.banner}・${p.count === 1 ? '単発' : `${p.count}連`}・${p.at}`,
    verifyEpoch: (p) => `エポック${p.epoch}のコミットメント`,
    verifyServerSeed: 'サーバーシード（公開済み）',
    verifyServerSeedHidden: '未公開：このエポックの終了後に公開されます。',
    verifyClientSeed: 'クライアントシード',
    verifyRateTable: (p) => `排出率表：リビジョン${p.revision}・SHA-256`,
    verifyOk: (p) => `✅ 検証成功：この入力から再計算した${p.count}件の結果がすべて一致しました。`,
    verifyPending:
      '⏳ まだ検証できません：サーバーシードはエポック終了後に公開されます。上のコミットメントで値はすでに固定されています。',
    verifyFailed: (p) => `❌ 検証失敗：${p.detail}`,

    auditTitle: (p) => `監査・${p.banner}・${p.period}`,
    period: { day: '直近24時間', week: '直近7日間', month: '直近30日間', all: '全期間' },
    auditTiers: '実績と公表値（95%区間）',
    auditTierLine: (p) =>
      `**${p.tier}** ${p.observed}（${p.low}〜${p.high}）・天井込み期待値${p.expected}・基本確率${p.base}`,
    auditTests: '検定',
    auditFreshTest: (p) => `天井の影響がない抽選と基本確率：${p.pulls}回、p = ${p.p}`,
    auditConsolidatedTest: (p) => `全抽選と天井込みの確率：${p.pulls}回、p = ${p.p}`,
    auditPullsToTop: (p) => `最高レアまでの回数：${p.runs}回分、平均${p.observed}（公表値${p.published}）、p = ${p.p}`,
    auditNoTest: 'データ不足',
    auditVerdict: '判定',
    auditNote: (p) =>
      `各検定の有意水準は0.001（公正なサーバーでも約330回に1回は指摘されます）。現在の排出率（設定リビジョン${p.revision}）と比較しています。`,

    exportDone: (p) =>
      `あなたの履歴：抽選${p.pulls}件（今すぐ検証できるもの${p.verified}件、シード公開待ち${p.pending}件）。\`npx gacha-verify gacha-history.json\` または検証ページで、ボットに頼らずすべての結果を確かめられます。`,
    exportTruncated: (p) =>
      `ファイルには新しい順に${p.events}件の記録が入っています（Discord のファイルは10 MBまで）。`,
    exportEmpty: 'エクスポートできる履歴はまだありません。',
  },
};
