/**
 * The extra lines under a pull result: the wishers of what dropped (mentioned; the reply may ping
 * exactly them) and how many shards the next shop exchange needs. One call from the pull's reply.
 */
import type { Catalog } from '../../../domain/catalog';
import { shardsToNextExchange } from '../../../domain/shard-shop';
import type { PullResult } from '../../../services/gacha-service';
import type { CommandContext } from '../../command';
import { itemName } from '../../embeds';
import { socialStrings } from '../../social-strings';

export interface DropNotes {
  /** Lines to show with the result ('' when there is nothing to add); at most 1,800 characters. */
  readonly text: string;
  /** The users mentioned in `text`: the reply's allowed mentions, nobody else. */
  readonly mentionUserIds: readonly string[];
}

export async function dropNotes(ctx: CommandContext, result: PullResult): Promise<DropNotes> {
  const s = socialStrings(ctx.locale);
  const catalog: Catalog = result.settings.catalog;
  const wishers = await ctx.social.wishersOfDrop(
    ctx.guildId,
    ctx.userId,
    result.items.map((i) => i.itemId),
  );
  const lines: string[] = [];
  const mentioned = new Set<string>();
  for (const [itemId, userIds] of wishers) {
    for (const id of userIds) mentioned.add(id);
    lines.push(
      s.wishDrop({
        item: itemName(catalog, itemId, ctx.locale).slice(0, 60),
        mentions: userIds.map((id) => `<@${id}>`).join(' '),
      }),
    );
  }
  const toNext = shardsToNextExchange(result.settings, result.state.shards);
  const exchange = ctx.mention('gacha exchange');
  lines.push(
    toNext > 0
      ? s.shardsToNext({ shards: toNext, exchange })
      : s.exchangeReady({ shards: result.state.shards, exchange }),
  );
  return { text: lines.join('\n').slice(0, 1_800), mentionUserIds: [...mentioned] };
}
