/**
 * `npm run studio`: builds the Banner Studio and serves dist/studio/ on the loopback interface
 * only (default http://127.0.0.1:5178, `STUDIO_PORT` to change). A static file server, nothing else.
 */
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { STUDIO_OUT, buildStudio } from './build-studio';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serves the built files of `dir` on 127.0.0.1; resolves with the server and its URL. */
export async function serveStudio(dir: string = STUDIO_OUT, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = normalize(pathname === '/' ? '/index.html' : pathname);
    const type = TYPES[extname(file)];
    if (request.method !== 'GET' || !type || file.includes('..')) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(dir, file)).then(
      (body) => {
        response.writeHead(200, {
          'content-type': type,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

if (require.main === module) {
  const port = Number(process.env.STUDIO_PORT ?? 5178);
  buildStudio()
    .then(() => serveStudio(STUDIO_OUT, port))
    .then(({ url }) => {
      console.log(`Banner Studio: ${url} (Ctrl+C to stop)`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
