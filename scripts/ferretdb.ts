/**
 * `npm run db:ferretdb` — build FerretDB (if needed) and run it in the foreground on a free loopback
 * port, printing its MONGODB_URI; `-- --build-only` only builds it.
 */
import { ensureFerretdbBinary } from '../test/support/ferretdb-build';
import { startFerretdb } from '../test/support/mongo-server';

async function main(): Promise<void> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (process.argv.includes('--build-only')) {
    log(`FerretDB binary: ${ensureFerretdbBinary(log)}`);
    return;
  }
  const server = await startFerretdb(log);
  process.stdout.write(`MONGODB_URI=${server.uri}\n`);
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
