/**
 * The static verifier page: reads a fairness export chosen by the player and recomputes every pull
 * in the browser with the same code as the CLI. Nothing leaves the page.
 */
import { typescriptHmacSha256 } from '../../app/domain/fairness/sha256';
import { type ReportLocale, reportLines } from '../../app/verifier/report-text';
import { verifyExport } from '../../app/verifier/verify-export';

const TEXT: Record<ReportLocale, { title: string; intro: string; waiting: string; unreadable: string }> = {
  ja: {
    title: 'ガチャの公平性を検証',
    intro:
      '/history export でダウンロードしたファイルを選ぶと、公開されたシードと排出率の版からすべての抽選をこのページの中で再計算します。ファイルはどこにも送信されません。',
    waiting: 'ファイルを選んでください。',
    unreadable: 'ファイルを JSON として読めません',
  },
  en: {
    title: 'Verify your gacha pulls',
    intro:
      'Choose the file from /history export: every pull is recomputed here, in this page, from the revealed seeds and the rate-table revisions. The file is sent nowhere.',
    waiting: 'Choose a file.',
    unreadable: 'The file cannot be read as JSON',
  },
};

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} missing`);
  return found;
}

const lang = element('lang', HTMLSelectElement);
const file = element('file', HTMLInputElement);
const report = element('report', HTMLPreElement);
let lastInput: { text: string } | null = null;

function locale(): ReportLocale {
  return lang.value === 'en' ? 'en' : 'ja';
}

function render(): void {
  const text = TEXT[locale()];
  document.documentElement.lang = locale();
  element('title', HTMLHeadingElement).textContent = text.title;
  element('intro', HTMLParagraphElement).textContent = text.intro;
  if (!lastInput) {
    report.textContent = text.waiting;
    report.removeAttribute('data-ok');
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(lastInput.text);
  } catch (error) {
    report.textContent = `${text.unreadable}: ${error instanceof Error ? error.message.slice(0, 200) : ''}`;
    report.dataset.ok = 'false';
    return;
  }
  const result = verifyExport(parsed, { hmac: typescriptHmacSha256 });
  report.textContent = reportLines(result, locale()).join('\n');
  report.dataset.ok = String(result.ok);
}

lang.value = navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
lang.addEventListener('change', render);
file.addEventListener('change', () => {
  const chosen = file.files?.[0];
  if (!chosen) return;
  void chosen.text().then((text) => {
    lastInput = { text };
    render();
  });
});
render();
