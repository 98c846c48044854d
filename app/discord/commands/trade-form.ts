/**
 * The counter form of /trade: a party's side of the offer as text (items by id or name with an
 * optional ×count, comma separated, and an amount of currency), prefilled with the side as it is.
 */
import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { Catalog, Locale } from '../../domain/catalog';
import { GachaError } from '../../domain/errors';
import { EMPTY_OFFER, MAX_OFFER_ITEMS, type Offer } from '../../domain/moves';
import { socialStrings } from '../social-strings';

export const COUNTER_FORM = 'counter-form';
const ITEMS_FIELD = 'items';
const CURRENCY_FIELD = 'currency';
const MAX_ITEMS_TEXT = 1_000;

/** The form for `moveId`, prefilled with what the party gives now. */
export function counterForm(locale: Locale, moveId: string, current: Offer): ModalBuilder {
  const s = socialStrings(locale);
  const itemsText = Object.entries(current.items)
    .map(([itemId, n]) => (n === 1 ? itemId : `${itemId} ×${n}`))
    .join(', ')
    .slice(0, MAX_ITEMS_TEXT);
  const items = new TextInputBuilder()
    .setCustomId(ITEMS_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(false)
    .setMaxLength(MAX_ITEMS_TEXT)
    .setPlaceholder(s.counterItemsHint().slice(0, 100));
  if (itemsText) items.setValue(itemsText);
  const currency = new TextInputBuilder()
    .setCustomId(CURRENCY_FIELD)
    .setStyle(TextInputStyle.Short)
    .setRequired(false)
    .setMaxLength(13);
  if (current.currency > 0) currency.setValue(String(current.currency));
  return new ModalBuilder()
    .setCustomId(`trade:${COUNTER_FORM}:${moveId}`)
    .setTitle(s.counterTitle().slice(0, 45))
    .addLabelComponents(
      new LabelBuilder().setLabel(s.counterItemsLabel().slice(0, 45)).setTextInputComponent(items),
      new LabelBuilder().setLabel(s.counterCurrencyLabel().slice(0, 45)).setTextInputComponent(currency),
    );
}

export type ParsedSide = { readonly ok: true; readonly offer: Offer } | { readonly ok: false; readonly entry: string };

/**
 * Reads the form's text. An item is named by its id or its name in either language (any case);
 * `×3`, `x3` or `*3` after it is a count. Unknown items throw the typed `unknown-item`; a count or
 * amount that is not a whole number comes back as the entry that could not be read.
 */
export function parseSide(catalog: Catalog, itemsText: string, currencyText: string): ParsedSide {
  const items: Record<string, number> = {};
  const entries = itemsText
    .split(/[,、\n]/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length > MAX_OFFER_ITEMS * 3) return { ok: false, entry: entries[0]?.slice(0, 60) ?? '' };
  for (const entry of entries) {
    const match = /^(.*?)(?:\s*[×xX*＊]\s*([0-9]+))?$/.exec(entry);
    const name = (match?.[1] ?? entry).trim().toLowerCase();
    const count = match?.[2] === undefined ? 1 : Number(match[2]);
    if (!name || !Number.isSafeInteger(count) || count < 1) return { ok: false, entry: entry.slice(0, 60) };
    const item = catalog.items.find(
      (i) => i.id.toLowerCase() === name || i.name.en.toLowerCase() === name || i.name.ja.toLowerCase() === name,
    );
    if (!item) throw new GachaError('unknown-item', `"${name.slice(0, 100)}" is not in the catalog`, { itemId: name });
    items[item.id] = (items[item.id] ?? 0) + count;
  }
  const amountText = currencyText.replace(/[,_\s]/g, '');
  const currency = amountText === '' ? 0 : Number(amountText);
  if (!/^[0-9]*$/.test(amountText) || !Number.isSafeInteger(currency)) {
    return { ok: false, entry: currencyText.slice(0, 60) };
  }
  return { ok: true, offer: { ...EMPTY_OFFER, currency, items } };
}

export function readCounterFields(fields: { getTextInputValue(id: string): string }): {
  items: string;
  currency: string;
} {
  return { items: fields.getTextInputValue(ITEMS_FIELD), currency: fields.getTextInputValue(CURRENCY_FIELD) };
}
