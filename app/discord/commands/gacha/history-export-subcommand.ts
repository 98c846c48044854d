/**
 * /gacha history-export: the player's history as a file in the fairness export format (pulls with
 * their inputs, the epochs' commitments and revealed seeds, the rate tables), which
 * `npx gacha-verify` and the verifier page recompute with nothing from the bot. Unrevealed seeds are
 * never in it. Lives under /gacha (rather than /history, whose display another module owns).
 */
import { AttachmentBuilder } from 'discord.js';
import { EXPORT_MAX_EVENTS } from '../../../services/fairness-service';
import type { FairnessExport } from '../../../verifier/export-format';
import { verifyParsedExport } from '../../../verifier/verify-export';
import type { Subcommand } from '../../subcommand';
import { FAIRNESS_STRINGS } from './fairness-strings';
import { nodeHmacSha256 } from '../../../verifier/node-hmac';

/** Below Discord's 10 MiB per file, with room for the multipart framing. */
export const EXPORT_FILE_MAX_BYTES = 9_500_000;
export const EXPORT_FILE_NAME = 'gacha-history.json';

export const historyExportSubcommand: Subcommand = {
  name: 'history-export',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '履歴エクスポート' })
      .setDescription('Fairness: download your history to verify every pull yourself')
      .setDescriptionLocalizations({ ja: '公平性：全抽選を自分で検証できる履歴ファイルをダウンロード' }),
  async execute(_interaction, ctx) {
    const s = FAIRNESS_STRINGS[ctx.locale];
    const player = { guildId: ctx.guildId, userId: ctx.userId };
    let limit = EXPORT_MAX_EVENTS;
    let data: FairnessExport;
    let json: string;
    for (;;) {
      data = await ctx.fairness.exportHistory(player, limit);
      json = JSON.stringify(data);
      if (Buffer.byteLength(json) <= EXPORT_FILE_MAX_BYTES || limit <= 1) break;
      limit = Math.floor(limit / 2);
    }
    if (data.events.length === 0) return { content: s.exportEmpty, ephemeral: true };
    const report = verifyParsedExport(data, { hmac: nodeHmacSha256 });
    const lines = [s.exportDone({ pulls: report.pulls, verified: report.verified, pending: report.pending })];
    if (limit < EXPORT_MAX_EVENTS || data.events.length === EXPORT_MAX_EVENTS) {
      lines.push(s.exportTruncated({ events: data.events.length }));
    }
    return {
      content: lines.join('\n'),
      files: [new AttachmentBuilder(Buffer.from(json), { name: EXPORT_FILE_NAME })],
      ephemeral: true,
    };
  },
};
