import { Writable } from 'node:stream';
import { createLogger } from '../../app/observability/logger';
import { FAKE_TOKEN } from '../e2e/bot-process';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('logger', () => {
  it('never writes the Discord token or database credentials', () => {
    const { lines, log } = capture();
    const uri = 'mongodb://gacha:s3cr3t-pass@127.0.0.1:27017/gacha';
    log.info({ token: FAKE_TOKEN, config: { DISCORD_TOKEN: FAKE_TOKEN, MONGODB_URI: uri }, uri }, 'starting');
    log.error(`could not connect to ${uri}`);
    log.warn({ headers: { authorization: `Bot ${FAKE_TOKEN}` } }, 'rest call');
    const out = lines.join('');
    expect(out).not.toContain('s3cr3t-pass');
    expect(out).not.toContain(FAKE_TOKEN);
    expect(out).toContain('mongodb://***@127.0.0.1');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('level');
  });
});
