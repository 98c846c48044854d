/**
 * The catalog form: general settings, tiers, items and banners. Every input is labelled, bound to
 * a JSON path of the draft, and followed by the place where that path's problems are shown.
 */
import { type Json, type JsonObject, type Path, getAt, isObject, pathId } from './draft';
import { type Child, h } from './dom';
import type { Strings } from './i18n';

export type FieldKind = 'text' | 'optional-text' | 'int' | 'percent' | 'list' | 'optional-list' | 'color';

export interface FormEvents {
  /** A value changed: the draft is updated, the form stays. */
  readonly change: (path: Path, value: Json | undefined) => void;
  /** Rows were added or removed: the form is rebuilt. */
  readonly restructure: (mutate: (draft: JsonObject) => void) => void;
}

function display(value: Json | undefined, kind: FieldKind): string {
  if (value === undefined || value === null) return '';
  if ((kind === 'list' || kind === 'optional-list') && Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The draft value of what was typed: numbers stay text when they are not integers, so the parser can say so. */
export function parseInput(raw: string, kind: FieldKind): Json | undefined {
  const text = raw.trim();
  switch (kind) {
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : raw;
    case 'list':
      return text === '' ? [] : text.split(/[\s,]+/).filter(Boolean);
    case 'optional-list':
      return text === '' ? undefined : text.split(/[\s,]+/).filter(Boolean);
    case 'optional-text':
      return text === '' ? undefined : text;
    default:
      return raw;
  }
}

export class FormBuilder {
  constructor(
    private readonly draft: JsonObject,
    private readonly t: Strings,
    private readonly events: FormEvents,
  ) {}

  errorSlot(path: Path): HTMLElement {
    return h('p', { class: 'error', id: pathId('err', path), 'data-path': path.join('.'), hidden: true });
  }

  field(
    path: Path,
    label: string,
    kind: FieldKind,
    options: { list?: string; hideLabel?: boolean; placeholder?: string } = {},
  ): HTMLElement {
    const id = pathId('f', path);
    const input = h('input', {
      id,
      name: path.join('.'),
      type: 'text',
      value: display(getAt(this.draft, path), kind),
      inputmode: kind === 'int' ? 'numeric' : kind === 'percent' ? 'decimal' : undefined,
      list: options.list,
      placeholder: options.placeholder,
      'aria-describedby': pathId('err', path),
      spellcheck: 'false',
      autocomplete: 'off',
    });
    input.addEventListener('input', () => {
      this.events.change(path, parseInput(input.value, kind));
    });
    const swatch = kind === 'color' ? h('span', { class: 'swatch', 'aria-hidden': 'true' }) : null;
    if (swatch) {
      swatch.style.background = display(getAt(this.draft, path), kind);
      input.addEventListener('input', () => (swatch.style.background = input.value));
    }
    return h('div', { class: 'field' }, [
      h('label', { for: id, class: options.hideLabel ? 'sr-only' : undefined }, [label]),
      h('span', { class: 'control' }, [input, swatch]),
      this.errorSlot(path),
    ]);
  }

  select(path: Path, label: string, choices: readonly (readonly [string, string])[]): HTMLElement {
    const id = pathId('f', path);
    const current = display(getAt(this.draft, path), 'text');
    const select = h(
      'select',
      { id, name: path.join('.'), 'aria-describedby': pathId('err', path) },
      choices.map(([value, text]) => h('option', { value, selected: value === current }, [text])),
    );
    select.addEventListener('change', () => {
      this.events.change(path, select.value);
    });
    return h('div', { class: 'field' }, [h('label', { for: id }, [label]), select, this.errorSlot(path)]);
  }

  checkbox(path: Path, label: string): HTMLElement {
    const id = pathId('f', path);
    const box = h('input', {
      id,
      type: 'checkbox',
      checked: getAt(this.draft, path) === true,
      'aria-describedby': pathId('err', path),
    });
    box.addEventListener('change', () => {
      this.events.change(path, box.checked ? true : undefined);
    });
    return h('div', { class: 'field checkbox' }, [box, h('label', { for: id }, [label]), this.errorSlot(path)]);
  }

  removeButton(list: string, index: number, what: string): HTMLElement {
    const button = h('button', { type: 'button', class: 'remove', 'aria-label': this.t.removeWhat(what) }, [
      this.t.remove,
    ]);
    button.addEventListener('click', () => {
      this.events.restructure((draft) => {
        const entries = draft[list];
        if (Array.isArray(entries)) entries.splice(index, 1);
      });
    });
    return button;
  }

  addButton(text: string, list: string, make: () => JsonObject): HTMLElement {
    const button = h('button', { type: 'button', class: 'add' }, [text]);
    button.addEventListener('click', () => {
      this.events.restructure((draft) => {
        const entries = Array.isArray(draft[list]) ? draft[list] : [];
        entries.push(make());
        draft[list] = entries;
      });
    });
    return button;
  }

  names(path: Path): Child[] {
    return [
      this.field([...path, 'name', 'ja'], this.t.nameJa, 'optional-text'),
      this.field([...path, 'name', 'en'], this.t.nameEn, 'optional-text'),
    ];
  }

  entities(list: string): JsonObject[] {
    const entries = this.draft[list];
    return Array.isArray(entries) ? entries.filter(isObject) : [];
  }

  build(): HTMLElement {
    const t = this.t;
    const general = h('section', { 'aria-labelledby': 'h-general', class: 'card' }, [
      h('h2', { id: 'h-general' }, [t.general]),
      this.errorSlot([]),
      h('div', { class: 'grid' }, [
        this.select(['mainLanguage'], t.mainLanguage, [
          ['en', 'English'],
          ['ja', '日本語'],
        ]),
        this.field(['pullCost'], t.pullCost, 'int'),
        this.field(['tenPullCost'], t.tenPullCost, 'int'),
        this.field(['tenPullGuaranteeTierId'], t.guarantee, 'text', { list: 'tier-ids' }),
      ]),
    ]);

    const tiers = h('section', { 'aria-labelledby': 'h-tiers', class: 'card' }, [
      h('h2', { id: 'h-tiers' }, [t.tiers]),
      this.errorSlot(['tiers']),
      ...this.entities('tiers').map((_, i) =>
        h('fieldset', { class: 'row tier' }, [
          h('legend', {}, [`${t.tier} ${i + 1}`]),
          this.errorSlot(['tiers', i]),
          this.field(['tiers', i, 'id'], t.id, 'text'),
          ...this.names(['tiers', i]),
          this.field(['tiers', i, 'rank'], t.rank, 'int'),
          this.field(['tiers', i, 'rate'], t.rate, 'percent'),
          this.field(['tiers', i, 'color'], t.color, 'color'),
          this.field(['tiers', i, 'emoji'], t.emoji, 'text'),
          this.field(['tiers', i, 'duplicateShards'], t.shards, 'int'),
          this.removeButton('tiers', i, `${t.tier} ${i + 1}`),
        ]),
      ),
      this.addButton(t.addTier, 'tiers', () => ({
        id: '',
        name: {},
        rank: 0,
        rate: '0%',
        color: '#888888',
        emoji: '⭐',
        duplicateShards: 1,
      })),
    ]);

    const items = h('section', { 'aria-labelledby': 'h-items', class: 'card' }, [
      h('h2', { id: 'h-items' }, [t.items]),
      this.errorSlot(['items']),
      h('div', { class: 'item-head', 'aria-hidden': 'true' }, [t.id, t.tier, t.nameJa, t.nameEn, t.art, '']),
      ...this.entities('items').map((item, i) => {
        const what = typeof item.id === 'string' && item.id !== '' ? item.id : `${t.items} ${i + 1}`;
        return h('div', { class: 'item-row', role: 'group', 'aria-label': what }, [
          this.field(['items', i, 'id'], t.id, 'text', { hideLabel: true }),
          this.field(['items', i, 'tierId'], t.tier, 'text', { hideLabel: true, list: 'tier-ids' }),
          this.field(['items', i, 'name', 'ja'], t.nameJa, 'optional-text', { hideLabel: true }),
          this.field(['items', i, 'name', 'en'], t.nameEn, 'optional-text', { hideLabel: true }),
          this.field(['items', i, 'art'], t.art, 'optional-text', { hideLabel: true }),
          this.removeButton('items', i, what),
          this.errorSlot(['items', i]),
        ]);
      }),
      this.addButton(t.addItem, 'items', () => ({ id: '', tierId: '', name: {} })),
    ]);

    const banners = h('section', { 'aria-labelledby': 'h-banners', class: 'card' }, [
      h('h2', { id: 'h-banners' }, [t.banners]),
      this.errorSlot(['banners']),
      ...this.entities('banners').map((banner, i) =>
        h('fieldset', { class: 'row banner' }, [
          h('legend', {}, [typeof banner.id === 'string' && banner.id !== '' ? banner.id : `${t.banner} ${i + 1}`]),
          this.errorSlot(['banners', i]),
          this.field(['banners', i, 'id'], t.id, 'text'),
          this.select(['banners', i, 'kind'], t.kind, [
            ['standard', t.standard],
            ['limited', t.limited],
          ]),
          ...this.names(['banners', i]),
          this.field(['banners', i, 'startsAt'], t.startsAt, 'optional-text', {
            placeholder: '2026-12-01T18:00:00+09:00',
          }),
          this.field(['banners', i, 'endsAt'], t.endsAt, 'optional-text'),
          this.field(['banners', i, 'featuredItemIds'], t.featured, 'list'),
          this.field(['banners', i, 'rateUpShare'], t.rateUpShare, 'percent'),
          this.field(['banners', i, 'pity', 'hardPity'], t.hardPity, 'int'),
          this.field(['banners', i, 'pity', 'softPityStart'], t.softPityStart, 'int'),
          this.field(['banners', i, 'pity', 'softPityStep'], t.softPityStep, 'percent'),
          this.field(['banners', i, 'sparkThreshold'], t.spark, 'int'),
          this.field(['banners', i, 'poolItemIds'], t.pool, 'optional-list'),
          this.checkbox(['banners', i, 'featuredInStandard'], t.featuredInStandard),
          this.field(['banners', i, 'art'], t.art, 'optional-text'),
          this.removeButton('banners', i, typeof banner.id === 'string' ? banner.id : `${t.banner} ${i + 1}`),
        ]),
      ),
      this.addButton(t.addBanner, 'banners', () => {
        const start = new Date(Date.now() + 86_400_000);
        start.setUTCMinutes(0, 0, 0);
        return {
          id: `limited-${this.entities('banners').length}`,
          kind: 'limited',
          name: {},
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
          featuredItemIds: [],
          rateUpShare: '50%',
          pity: { hardPity: 90, softPityStart: 74, softPityStep: '6%' },
          sparkThreshold: 200,
        };
      }),
    ]);
    return h('div', { class: 'form' }, [general, tiers, items, banners, h('datalist', { id: 'tier-ids' })]);
  }
}
