/**
 * /history: the player's pulls, newest first — per pull its banner, cost and items — and the
 * currency spent per month (the guild's time zone). Paged with buttons; says when history is still
 * catching up with the newest pulls.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import type { Catalog, Locale } from '../../domain/catalog';
import type { PullRecord } from '../../services/gacha-service';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { itemName, tierOf } from '../embeds';
import { formatNumber } from '../i18n';
import { HISTORY_STRINGS, type HistoryStrings } from './history-strings';

/** Pulls per page: ten 10-pulls stay well inside an embed's 4,096 characters. */
export const HISTORY_PAGE_SIZE = 5;
/** Months shown in the spending summary. */
export const HISTORY_MONTHS = 6;
const MAX_NAME = 40;
const MAX_USER = 40;

function short(text: string, max = MAX_NAME): string {
  const clean = text.replace(/[\n\r*_`~|]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function bannerName(catalog: Catalog, bannerId: string, locale: Locale): string {
  return catalog.banners.find((b) => b.id === bannerId)?.name[locale] ?? bannerId;
}

/** The items of one pull: best tier first, repeats counted (`Name ×2`), NEW marked. */
function itemsLine(catalog: Catalog, record: PullRecord, locale: Locale, t: CommandContext['t']): string {
  const rank = (tierId: string) => tierOf(catalog, tierId)?.rank ?? 0;
  const counted = new Map<string, { tierId: string; n: number; fresh: boolean; featured: boolean }>();
  for (const item of record.items) {
    const seen = counted.get(item.itemId);
    counted.set(item.itemId, {
      tierId: item.tierId,
      n: (seen?.n ?? 0) + 1,
      fresh: (seen?.fresh ?? false) || !item.duplicate,
      featured: item.featured,
    });
  }
  return [...counted.entries()]
    .sort(([, a], [, b]) => rank(b.tierId) - rank(a.tierId))
    .map(([itemId, c]) => {
      const emoji = tierOf(catalog, c.tierId)?.emoji ?? '★';
      const name = short(itemName(catalog, itemId, locale), 30);
      return `${emoji}${c.featured ? '★' : ''} ${name}${c.n > 1 ? ` ×${formatNumber(locale, c.n)}` : ''}${c.fresh ? ` ${t.newItem()}` : ''}`;
    })
    .join(', ');
}

function recordLines(ctx: CommandContext, s: HistoryStrings, record: PullRecord): string {
  const catalog = ctx.settings.catalog;
  const L = ctx.locale;
  const when = `<t:${Math.floor(record.at.getTime() / 1000)}:f>`;
  const banner = short(bannerName(catalog, record.bannerId, L));
  const head =
    record.source === 'spark'
      ? s.sparkLine({ when, banner })
      : s.pullLine({
          when,
          banner,
          count: formatNumber(L, record.items.length),
          cost: formatNumber(L, record.cost),
          currency: ctx.currencyName,
        });
  return `${head}\n└ ${itemsLine(catalog, record, L, ctx.t)}`;
}

/** `2026-11` as the language writes a month (Nov 2026 / 2026年11月). */
function monthName(month: string, locale: Locale): string {
  const [year = 1970, m = 1] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    year: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, m - 1, 15)));
}

function pager(targetId: string, page: number, pages: number) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`history:page:${targetId}:${page - 1}`)
      .setLabel('◀')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page <= 0),
    new ButtonBuilder()
      .setCustomId(`history:page:${targetId}:${page + 1}`)
      .setLabel('▶')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page >= pages - 1),
  );
}

export async function historyPage(
  ctx: CommandContext,
  user: { id: string; username: string },
  page: number,
): Promise<CommandReply> {
  const s = HISTORY_STRINGS[ctx.locale];
  const L = ctx.locale;
  const answer = await ctx.gacha.pullHistory({ guildId: ctx.guildId, userId: user.id }, page, HISTORY_PAGE_SIZE, {
    timezone: ctx.settings.daily.timezone,
    months: HISTORY_MONTHS,
  });
  const pages = Math.max(1, Math.ceil(answer.total / HISTORY_PAGE_SIZE));
  const lines = answer.records.map((r) => recordLines(ctx, s, r));
  const description = [
    answer.catchingUp ? ctx.t.historyCatchingUp() : '',
    lines.join('\n') || ctx.t.historyEmpty({ pull: ctx.mention('gacha pull') }),
  ]
    .filter(Boolean)
    .join('\n');
  const monthly =
    answer.monthly
      .map((m) =>
        s.monthLine({
          month: monthName(m.month, L),
          spent: formatNumber(L, m.spent),
          currency: ctx.currencyName,
          pulls: formatNumber(L, m.pulls),
        }),
      )
      .join('\n') || s.noSpending();
  const embed = new EmbedBuilder()
    .setTitle(s.title({ user: short(user.username, MAX_USER), total: formatNumber(L, answer.total) }))
    .setDescription(description.slice(0, 4_096))
    .addFields({ name: s.monthlyTitle(), value: monthly.slice(0, 1_024) })
    .setFooter({ text: ctx.t.page({ page: page + 1, pages }) });
  return { embeds: [embed], components: [pager(user.id, page, pages)] };
}

function pageArg(args: readonly string[]): { targetId: string; page: number } {
  const targetId = args[1] ?? '';
  const page = Number(args[2] ?? 0);
  return { targetId, page: Number.isSafeInteger(page) && page >= 0 && page < 100_000 ? page : 0 };
}

export const historyCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('history')
    .setNameLocalizations({ ja: '履歴' })
    .setDescription('Your pulls: banner, cost, items, and currency spent per month')
    .setDescriptionLocalizations({ ja: 'ガチャ履歴（ガチャ・消費・アイテム）と月別の消費' })
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    return { ...(await historyPage(ctx, interaction.user, 0)), ephemeral: true };
  },
  async button(interaction, ctx, args) {
    const { targetId, page } = pageArg(args);
    // History is private: only its owner pages it.
    if (targetId !== interaction.user.id) return { content: ctx.t.notYourButton(), ephemeral: true };
    return historyPage(ctx, { id: targetId, username: interaction.user.username }, page);
  },
};
