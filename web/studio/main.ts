/**
 * Banner Studio: open an export (or the template), edit it, watch the odds, download the file.
 * Everything runs in this page; nothing is sent anywhere (the page's CSP forbids connections).
 */
import { type Catalog, type CatalogIssue, type Locale, validateCatalog } from '../../app/domain/catalog';
import { catalogFileJson } from '../../app/domain/catalog-file';
import {
  type Json,
  type JsonObject,
  type Path,
  draftFromFile,
  normalizeDraftNames,
  pathId,
  setAt,
  templateDraft,
} from './draft';
import { h } from './dom';
import { FormBuilder } from './form';
import { STRINGS, initialLocale } from './i18n';
import { type Budget, renderPreview } from './preview';

interface State {
  draft: JsonObject;
  original: Catalog | null;
  locale: Locale;
  bannerId: string;
  budget: Budget;
  status: string;
  lastValid: Catalog | null;
  issues: readonly CatalogIssue[];
}

const state: State = {
  draft: normalizeDraftNames(templateDraft()),
  original: null,
  locale: initialLocale(navigator.language),
  bannerId: 'standard',
  budget: { amount: 300, streakBonus: 50, streakCap: 6, days: 30 },
  status: '',
  lastValid: null,
  issues: [],
};

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

function t() {
  return STRINGS[state.locale];
}

/** The error slot nearest to a path: the field's own, else its row's or section's. */
function slotFor(path: readonly (string | number)[]): HTMLElement | null {
  for (let length = path.length; length >= 0; length--) {
    const slot = document.getElementById(pathId('err', path.slice(0, length)));
    if (slot) return slot;
  }
  return null;
}

function showIssues(issues: readonly CatalogIssue[]): void {
  for (const slot of document.querySelectorAll<HTMLElement>('.error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const input of document.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const issue of issues) {
    const slot = slotFor(issue.path);
    if (!slot) continue;
    slot.hidden = false;
    slot.textContent = slot.textContent
      ? `${slot.textContent} ${issue.message[state.locale]}`
      : issue.message[state.locale];
    document.getElementById(pathId('f', issue.path))?.setAttribute('aria-invalid', 'true');
  }
  const summary = byId('summary');
  summary.replaceChildren();
  const text = t();
  if (issues.length === 0) {
    summary.append(h('p', { class: 'ok' }, [text.valid]));
  } else {
    summary.append(
      h('p', {}, [text.problems(issues.length)]),
      h(
        'ul',
        {},
        issues
          .slice(0, 20)
          .map((issue) => h('li', {}, [`${issue.path.join('.') || '—'}: ${issue.message[state.locale]}`])),
      ),
    );
  }
  const download = byId('download') as HTMLButtonElement;
  download.disabled = issues.length > 0;
  byId('download-hint').textContent = issues.length > 0 ? text.fixFirst : text.downloadHint;
}

function updateTierList(): void {
  const list = document.getElementById('tier-ids');
  const tiers = state.draft.tiers;
  if (!list || !Array.isArray(tiers)) return;
  list.replaceChildren(
    ...tiers.flatMap((tier) =>
      typeof tier === 'object' && tier !== null && !Array.isArray(tier) && typeof tier.id === 'string'
        ? [h('option', { value: tier.id })]
        : [],
    ),
  );
}

function renderPreviewPanel(): void {
  const panel = byId('preview-body');
  const select = byId('preview-banner') as HTMLSelectElement;
  const catalog = state.lastValid;
  if (!catalog) {
    panel.replaceChildren(h('p', {}, [t().stale]));
    return;
  }
  const { body, bannerId } = renderPreview({
    catalog,
    original: state.original,
    bannerId: state.bannerId,
    budget: state.budget,
    locale: state.locale,
    t: t(),
    now: new Date(),
  });
  state.bannerId = bannerId;
  select.replaceChildren(
    ...catalog.banners.map((b) =>
      h('option', { value: b.id, selected: b.id === bannerId }, [`${b.name[state.locale]} (${b.id})`]),
    ),
  );
  panel.replaceChildren(body);
  if (state.issues.length > 0) panel.prepend(h('p', { class: 'warning' }, [t().stale]));
}

let timer: ReturnType<typeof setTimeout> | undefined;

function validateNow(): void {
  const result = validateCatalog(state.draft);
  state.issues = result.issues;
  if (result.ok) state.lastValid = result.catalog;
  showIssues(result.issues);
  updateTierList();
  renderPreviewPanel();
  document.body.dataset.state = result.ok ? 'valid' : 'invalid';
}

function scheduleValidate(): void {
  document.body.dataset.state = 'pending';
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(validateNow, 120);
}

function renderForm(): void {
  const form = new FormBuilder(state.draft, t(), {
    change: (path: Path, value: Json | undefined) => {
      setAt(state.draft, path, value);
      scheduleValidate();
    },
    restructure: (mutate) => {
      mutate(state.draft);
      renderForm();
      validateNow();
    },
  });
  byId('editor').replaceChildren(form.build());
}

function renderChrome(): void {
  const text = t();
  document.documentElement.lang = state.locale;
  document.title = text.title;
  byId('title').textContent = text.title;
  byId('tagline').textContent = text.tagline;
  byId('language-label').textContent = text.language;
  byId('open-label').textContent = text.open;
  byId('template').textContent = text.template;
  byId('download').textContent = text.download;
  byId('preview-title').textContent = text.preview;
  byId('preview-banner-label').textContent = text.banner;
  byId('budget-title').textContent = text.budget;
  byId('status').textContent = state.status;
  for (const [id, label] of [
    ['budget-amount', text.dailyAmount],
    ['budget-bonus', text.streakBonus],
    ['budget-cap', text.streakCap],
    ['budget-days', text.days],
  ] as const) {
    const labelElement = document.querySelector(`label[for="${id}"]`);
    if (labelElement) labelElement.textContent = label;
  }
  (byId('language') as HTMLSelectElement).value = state.locale;
}

function renderAll(): void {
  renderChrome();
  renderForm();
  validateNow();
}

function load(draft: JsonObject, original: Catalog | null, status: string): void {
  state.draft = normalizeDraftNames(draft);
  state.original = original;
  state.lastValid = null;
  state.status = status;
  state.bannerId = '';
  renderAll();
}

function wire(): void {
  byId('language').addEventListener('change', (event) => {
    state.locale = (event.target as HTMLSelectElement).value === 'ja' ? 'ja' : 'en';
    renderAll();
  });
  byId('template').addEventListener('click', () => {
    load(templateDraft(), null, '');
  });
  const file = byId('open-file') as HTMLInputElement;
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    void chosen.text().then((text) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        state.status = t().invalidJson;
        byId('status').textContent = state.status;
        return;
      }
      const result = validateCatalog(json);
      load(draftFromFile(json), result.ok ? result.catalog : null, t().loaded(chosen.name));
      file.value = '';
    });
  });
  byId('preview-banner').addEventListener('change', (event) => {
    state.bannerId = (event.target as HTMLSelectElement).value;
    renderPreviewPanel();
  });
  for (const [id, key] of [
    ['budget-amount', 'amount'],
    ['budget-bonus', 'streakBonus'],
    ['budget-cap', 'streakCap'],
    ['budget-days', 'days'],
  ] as const) {
    const input = byId(id) as HTMLInputElement;
    input.value = String(state.budget[key]);
    input.addEventListener('input', () => {
      const value = Number(input.value);
      if (!Number.isInteger(value) || value < 0 || value > 1_000_000_000) return;
      state.budget = { ...state.budget, [key]: key === 'days' ? Math.max(1, Math.min(value, 3650)) : value };
      renderPreviewPanel();
    });
  }
  byId('download').addEventListener('click', () => {
    const result = validateCatalog(state.draft);
    if (!result.ok) return;
    const url = URL.createObjectURL(new Blob([catalogFileJson(result.catalog)], { type: 'application/json' }));
    const link = h('a', { href: url, download: 'catalog.json' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 10_000);
  });
}

wire();
renderAll();
