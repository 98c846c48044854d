/**
 * Where logs go. Without LOG_DIR: JSON lines on stdout (the journal). With LOG_DIR: the files the
 * CloudWatch agent ships — app.log (everything at the configured level), error.log (errors only)
 * and access.log (one line per interaction). logrotate rotates them (the host's logrotate config is
 * installed by lib/constructs/release) and sends SIGHUP, on which the files are reopened.
 */
import path from 'node:path';
import pino from 'pino';
import { LOG_FILES } from '../contracts/host';
import { type Logger, createLogger } from './logger';

export interface BotLoggers {
  readonly app: Logger;
  readonly access: Logger;
  /** Reopens the files after logrotate moved them (SIGHUP). */
  reopen(): void;
  /** Writes out anything buffered (before exit). */
  flush(): void;
  /** Resolves once every log file is open (they open asynchronously). */
  ready(): Promise<void>;
}

/** Resolves when every destination has (re)opened its file; listeners attach before the open completes. */
function whenOpen(files: readonly ReturnType<typeof pino.destination>[]): Promise<void> {
  return Promise.all(
    files.map(
      (file) =>
        new Promise<void>((resolve) => {
          file.once('ready', () => {
            resolve();
          });
        }),
    ),
  ).then(() => undefined);
}

export function createBotLoggers(level: string, dir?: string): BotLoggers {
  if (!dir) {
    const app = createLogger(level);
    return {
      app,
      access: app.child({ log: 'access' }),
      reopen: () => undefined,
      flush: () => undefined,
      ready: () => Promise.resolve(),
    };
  }
  const open = (name: string) => pino.destination({ dest: path.join(dir, name), mkdir: true, sync: false });
  const appFile = open(LOG_FILES.app);
  const errorFile = open(LOG_FILES.error);
  const accessFile = open(LOG_FILES.access);
  const files = [appFile, errorFile, accessFile];
  let opened = whenOpen(files);
  const app = createLogger(
    level,
    pino.multistream([
      { stream: appFile, level },
      { stream: errorFile, level: 'error' },
    ]),
  );
  const access = createLogger('info', accessFile).child({ log: 'access' });
  return {
    app,
    access,
    reopen: () => {
      opened = whenOpen(files);
      for (const file of files) file.reopen();
    },
    flush: () => {
      for (const file of files) file.flushSync();
    },
    ready: () => opened,
  };
}
