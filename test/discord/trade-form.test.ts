/** The counter form's text: items by id or name (either language, any case) with ×count, and currency. */
import { parseSide } from '../../app/discord/commands/trade-form';
import { defaultCatalog } from '../../app/domain/default-catalog';

const catalog = defaultCatalog();
const [first, second] = catalog.items;

describe('parseSide', () => {
  if (!first || !second) throw new Error('catalog too small');

  it('reads ids, names in either language and counts, adding repeated items', () => {
    const text = `${first.id} ×2, ${second.name.en.toUpperCase()}、${second.name.ja} x3\n${first.id}`;
    expect(parseSide(catalog, text, '1,200')).toEqual({
      ok: true,
      offer: { currency: 1_200, shards: 0, items: { [first.id]: 3, [second.id]: 4 } },
    });
  });

  it('an empty form is an empty side', () => {
    expect(parseSide(catalog, '  ', '')).toEqual({ ok: true, offer: { currency: 0, shards: 0, items: {} } });
  });

  it('returns what it could not read: a zero count, a word for an amount', () => {
    expect(parseSide(catalog, `${first.id} ×0`, '')).toEqual({ ok: false, entry: `${first.id} ×0` });
    expect(parseSide(catalog, '', 'lots')).toEqual({ ok: false, entry: 'lots' });
    expect(parseSide(catalog, '', '-5')).toEqual({ ok: false, entry: '-5' });
  });

  it('an unknown item is the typed unknown-item error', () => {
    let thrown: unknown;
    try {
      parseSide(catalog, 'no such thing', '');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'unknown-item' });
  });
});
