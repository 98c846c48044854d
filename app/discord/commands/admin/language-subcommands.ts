/**
 * /gacha-admin set-language | set-timezone | set-currency-name: the server's language (for players
 * whose Discord language is neither Japanese nor English), the time zone the daily reward resets
 * in, and the currency's name in each language. Each is a settings revision like any admin edit.
 */
import type { Locale } from '../../../domain/catalog';
import { dayKey, isValidTimezone } from '../../../domain/daily';
import { GachaError } from '../../../domain/errors';
import { MAX_CURRENCY_NAME, currencyNameOf } from '../../../domain/guild-settings';
import type { Subcommand } from '../../subcommand';
import { applySettingsChange } from './settings-change';

/** Longest IANA zone name accepted (the longest real one is ~32 characters). */
const MAX_TIMEZONE = 64;

function isLocale(value: string): value is Locale {
  return value === 'ja' || value === 'en';
}

export const setLanguageSubcommand: Subcommand = {
  name: 'set-language',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '言語設定' })
      .setDescription('Language for members whose Discord language is neither Japanese nor English')
      .setDescriptionLocalizations({ ja: 'Discordの言語が日本語・英語以外のメンバーに使う言語' })
      .addStringOption((o) =>
        o
          .setName('language')
          .setNameLocalizations({ ja: '言語' })
          .setDescription('Server language')
          .setDescriptionLocalizations({ ja: 'サーバーの言語' })
          .setRequired(true)
          .addChoices(
            { name: 'English', name_localizations: { ja: '英語' }, value: 'en' },
            { name: 'Japanese (日本語)', name_localizations: { ja: '日本語' }, value: 'ja' },
          ),
      ),
  execute(interaction, ctx) {
    const language = interaction.options.getString('language', true);
    if (!isLocale(language)) {
      throw new GachaError('invalid-config', `unknown language ${language.slice(0, 10)}`, { reason: 'not-valid' });
    }
    return applySettingsChange(interaction, ctx, {
      audit: `language ${language}`,
      apply: (s) => ({ ...s, locale: language }),
      done: (t, after) => t.language({ language: after.locale }),
    });
  },
};

export const setTimezoneSubcommand: Subcommand = {
  name: 'set-timezone',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'タイムゾーン設定' })
      .setDescription('Time zone of the daily reset (IANA name, e.g. Asia/Tokyo, Europe/Paris)')
      .setDescriptionLocalizations({ ja: 'デイリーがリセットされるタイムゾーン（例: Asia/Tokyo、Europe/Paris）' })
      .addStringOption((o) =>
        o
          .setName('timezone')
          .setNameLocalizations({ ja: 'タイムゾーン' })
          .setDescription('IANA time zone name')
          .setDescriptionLocalizations({ ja: 'IANAのタイムゾーン名' })
          .setRequired(true)
          .setMaxLength(MAX_TIMEZONE),
      ),
  execute(interaction, ctx) {
    const timezone = interaction.options.getString('timezone', true).trim();
    if (timezone.length === 0 || timezone.length > MAX_TIMEZONE || !isValidTimezone(timezone)) {
      throw new GachaError('invalid-config', `Unknown timezone "${timezone.slice(0, MAX_TIMEZONE)}"`, {
        reason: 'unknown-timezone',
        timezone: timezone.slice(0, MAX_TIMEZONE),
      });
    }
    return applySettingsChange(interaction, ctx, {
      audit: `timezone ${timezone}`,
      apply: (s) => ({ ...s, daily: { ...s.daily, timezone } }),
      done: (t, after, v) =>
        t.timezone({ timezone: after.daily.timezone, localTime: localTime(after.daily.timezone, v.locale) }),
    });
  },
};

/** The time now in `timezone`, as the language writes it ("12/1 09:30" / "12月1日 9:30"). */
function localTime(timezone: string, locale: Locale): string {
  // dayKey validates the zone the same way the daily reset reads it.
  dayKey(new Date(), timezone);
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    timeZone: timezone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date());
}

export const setCurrencyNameSubcommand: Subcommand = {
  name: 'set-currency-name',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '通貨名設定' })
      .setDescription('Name of the currency in Japanese and English (leave both out for the default)')
      .setDescriptionLocalizations({ ja: '通貨の名前（日本語・英語）。両方省略で既定に戻す' })
      .addStringOption((o) =>
        o
          .setName('japanese')
          .setNameLocalizations({ ja: '日本語名' })
          .setDescription('Japanese name (default: コイン)')
          .setDescriptionLocalizations({ ja: '日本語の名前（既定: コイン）' })
          .setMinLength(1)
          .setMaxLength(MAX_CURRENCY_NAME),
      )
      .addStringOption((o) =>
        o
          .setName('english')
          .setNameLocalizations({ ja: '英語名' })
          .setDescription('English name (default: coins)')
          .setDescriptionLocalizations({ ja: '英語の名前（既定: coins）' })
          .setMinLength(1)
          .setMaxLength(MAX_CURRENCY_NAME),
      ),
  execute(interaction, ctx) {
    const ja = currencyName(interaction.options.getString('japanese'));
    const en = currencyName(interaction.options.getString('english'));
    const names = { ...(ja ? { ja } : {}), ...(en ? { en } : {}) };
    return applySettingsChange(interaction, ctx, {
      audit: `currency name ja=${ja ?? '-'} en=${en ?? '-'}`,
      apply: (s) => {
        const { currencyName: _previous, ...rest } = s;
        return ja || en ? { ...rest, currencyName: names } : rest;
      },
      done: (t, after) => t.currencyName({ ja: currencyNameOf(after, 'ja'), en: currencyNameOf(after, 'en') }),
    });
  },
};

/** A name as typed: trimmed, no mention or markdown-breaking characters; refused when empty or too long. */
function currencyName(value: string | null): string | undefined {
  if (value === null) return undefined;
  const name = value.replace(/[@#<>`*_~|\\\n\r]/g, '').trim();
  if (name.length === 0 || name.length > MAX_CURRENCY_NAME) {
    throw new GachaError('invalid-config', 'currency name length', { reason: 'currency-name', max: MAX_CURRENCY_NAME });
  }
  return name;
}
