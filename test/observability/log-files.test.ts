import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBotLoggers } from '../../app/observability/log-files';
import { eventually } from '../support/eventually';

describe('log files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-logs-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (name: string) =>
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; level: string; log?: string });

  it('writes app, error and access logs apart, and reopens files after rotation', async () => {
    const loggers = createBotLoggers('info', dir);
    await loggers.ready(); // the files open asynchronously
    loggers.app.info('database ready');
    loggers.app.debug('not at this level');
    loggers.app.error({ err: new Error('boom') }, 'command failed');
    loggers.access.info({ command: 'gacha', outcome: 'ok', latencyMs: 3 }, 'interaction');
    // The files are written asynchronously and in order; flushSync during an asynchronous write
    // would put the rest ahead of it, so wait for the writes instead.
    const appLines = await eventually(
      () => Promise.resolve(read('app.log').map((l) => l.msg)),
      (lines) => lines.length >= 2,
    );
    await eventually(
      () => Promise.resolve(read('access.log').length + read('error.log').length),
      (n) => n >= 2,
    );
    expect(appLines).toEqual(['database ready', 'command failed']);
    expect(read('error.log').map((l) => l.msg)).toEqual(['command failed']);
    expect(read('access.log')).toEqual([expect.objectContaining({ msg: 'interaction', log: 'access', level: 'info' })]);

    renameSync(path.join(dir, 'app.log'), path.join(dir, 'app.log.1'));
    loggers.reopen();
    await loggers.ready();
    loggers.app.info('after rotation');
    loggers.flush();
    expect(read('app.log').map((l) => l.msg)).toEqual(['after rotation']);
    expect(read('app.log.1')).toHaveLength(2);
  });
});
