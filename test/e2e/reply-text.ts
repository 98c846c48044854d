/** The text a player reads in a reply: content, Components V2 text displays, embeds. */
import type { InteractionReply } from '../discord-simulator/discord-simulator';

/** Every Components V2 text display (type 10), depth first (containers, sections). */
export function componentTexts(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  return components.flatMap((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const c = raw as { type?: unknown; content?: unknown; components?: unknown };
    return [...(c.type === 10 && typeof c.content === 'string' ? [c.content] : []), ...componentTexts(c.components)];
  });
}

export function replyText(reply: InteractionReply): string {
  const embeds = (reply.data.embeds ?? []) as {
    title?: string;
    description?: string;
    footer?: { text?: string };
    fields?: { name: string; value: string }[];
  }[];
  return [
    typeof reply.data.content === 'string' ? reply.data.content : '',
    ...componentTexts(reply.data.components),
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ].join('\n');
}
