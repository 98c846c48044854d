/** Structured JSON logs (pino) with secrets redacted wherever they appear in a log object. */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'MONGODB_URI',
  '*.MONGODB_URI',
  'GACHA_FAIRNESS_SEED_KEY',
  '*.GACHA_FAIRNESS_SEED_KEY',
  'serverSeed',
  '*.serverSeed',
  'uri',
  '*.uri',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

/** Removes credentials from a connection string or URL embedded in free text. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(mongodb(?:\+srv)?:\/\/)[^@/\s]+@/g, '$1***@')
    .replace(/\b[MN][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}\b/g, '***token***');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'gacha-bot' },
      redact: { paths: REDACTED_PATHS, censor: '***' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}
