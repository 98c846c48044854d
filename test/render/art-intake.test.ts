import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ArtError, type ArtErrorCode } from '../../app/art/art-errors';
import { takeArt } from '../../app/art/art-intake';
import { ART_LIMITS } from '../../app/art/art-limits';
import { ART_MESSAGES, artErrorMessage } from '../../app/art/art-messages';
import { fetchArt, isBlockedAddress } from '../../app/art/fetch-art';
import { readImageHeader } from '../../app/art/image-probe';
import { normalizeArt } from '../../app/art/normalize-art';
import { ART_COLLECTION, ArtStore } from '../../app/storage/art-store';
import { type TestDatabase, openTestDatabase } from '../support/test-database';
import { painting, paintingPng, twoFrameGif } from './sample-images';

let database: TestDatabase;
let server: http.Server;
let base = '';
const routes = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();
const loopback = { allowLoopbackHttp: true } as const;

beforeAll(async () => {
  database = await openTestDatabase();
  server = http.createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});

function serve(path: string, body: Buffer, type = 'image/png'): string {
  routes.set(path, (_req, res) => res.writeHead(200, { 'content-type': type }).end(body));
  return `${base}${path}`;
}

async function codeOf(promise: Promise<unknown>): Promise<ArtErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArtError) return error.code;
    throw error;
  }
  throw new Error('expected an ArtError');
}

describe('image headers', () => {
  it('reads type and size of PNG, JPEG, WebP and GIF from their first bytes', () => {
    const canvas = painting(123, 77);
    expect(readImageHeader(canvas.encodeSync('png'))).toEqual({ type: 'png', width: 123, height: 77 });
    expect(readImageHeader(canvas.encodeSync('jpeg', 80))).toEqual({ type: 'jpeg', width: 123, height: 77 });
    expect(readImageHeader(canvas.encodeSync('webp', 80))).toEqual({ type: 'webp', width: 123, height: 77 });
    expect(readImageHeader(twoFrameGif(80, 112))).toEqual({ type: 'gif', width: 80, height: 112 });
    expect(readImageHeader(Buffer.from('{"not":"an image"}'))).toBeNull();
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
  });
});

describe('normalizeArt', () => {
  it('crops to 5:7, stores 320×448 WebP within 200 KB, addressed by the SHA-256 of the stored bytes', async () => {
    const art = await normalizeArt(paintingPng(1200, 600));
    expect(art.contentType).toBe('image/webp');
    expect(readImageHeader(art.data)).toEqual({ type: 'webp', width: 320, height: 448 });
    expect(art.data.length).toBeLessThanOrEqual(ART_LIMITS.maxStoredBytes);
    expect(art.id).toBe(createHash('sha256').update(art.data).digest('hex'));
    expect([art.sourceType, art.sourceWidth, art.sourceHeight]).toEqual(['png', 1200, 600]);
  });

  it('gives concurrent intakes their own result although they share one decoder and canvas', async () => {
    const [a, b] = [paintingPng(400, 560, 10), paintingPng(500, 700, 250)];
    const alone = [(await normalizeArt(a)).id, (await normalizeArt(b)).id];
    const together = await Promise.all([
      normalizeArt(a),
      normalizeArt(Buffer.from('junk')).catch(() => null),
      normalizeArt(b),
    ]);
    expect([together[0].id, together[2].id]).toEqual(alone);
    expect(together[1]).toBeNull();
  });

  it('keeps a noisy photo under the stored limit by lowering quality', async () => {
    const canvas = createCanvas(450, 630);
    const ctx = canvas.getContext('2d');
    const data = ctx.getImageData(0, 0, 450, 630);
    let x = 12345;
    for (let i = 0; i < data.data.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      data.data[i] = i % 4 === 3 ? 255 : x >>> 24;
    }
    ctx.putImageData(data, 0, 0);
    const art = await normalizeArt(canvas.encodeSync('png'));
    expect(art.data.length).toBeLessThanOrEqual(ART_LIMITS.maxStoredBytes);
  });

  it('takes the first frame of an animated GIF', async () => {
    const art = await normalizeArt(twoFrameGif());
    const image = await loadImage(art.data);
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    const [r, , b] = canvas.getContext('2d').getImageData(160, 224, 1, 1).data;
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it('refuses other types, bad sizes and damaged files before storing anything', async () => {
    expect(await codeOf(normalizeArt(Buffer.from('GIF88a not really')))).toBe('unsupported-type');
    expect(await codeOf(normalizeArt(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBe(
      'unsupported-type',
    );
    expect(await codeOf(normalizeArt(paintingPng(40, 40)))).toBe('bad-dimensions');
    expect(await codeOf(normalizeArt(paintingPng(5000, 100)))).toBe('bad-dimensions');
    const png = paintingPng(200, 200);
    const damaged = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]);
    expect(await codeOf(normalizeArt(damaged))).toBe('undecodable');
    // A PNG header claiming 60000×60000 is refused from the header alone (no 14 GB decode).
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    expect(await codeOf(normalizeArt(bomb))).toBe('bad-dimensions');
    expect(await codeOf(normalizeArt(Buffer.alloc(ART_LIMITS.maxInputBytes + 1)))).toBe('too-large');
  });
});

describe('fetchArt (a real HTTP server on loopback)', () => {
  it('fetches an image once and follows a redirect', async () => {
    const png = paintingPng(200, 280);
    const url = serve('/art.png', png);
    routes.set('/moved', (_req, res) => res.writeHead(302, { location: '/art.png' }).end());
    expect(Buffer.compare(await fetchArt(url, loopback), png)).toBe(0);
    expect(Buffer.compare(await fetchArt(`${base}/moved`, loopback), png)).toBe(0);
  });

  it('stops reading past 8 MB, waits no longer than its timeout, and reports HTTP errors', async () => {
    routes.set('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(256 * 1024, 1);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    routes.set('/declared-huge', (_req, res) =>
      res.writeHead(200, { 'content-length': String(20 * 1024 * 1024) }).end(),
    );
    routes.set('/silent', () => undefined);
    routes.set('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end());
    expect(await codeOf(fetchArt(`${base}/endless`, loopback))).toBe('too-large');
    expect(await codeOf(fetchArt(`${base}/declared-huge`, loopback))).toBe('too-large');
    const started = Date.now();
    expect(await codeOf(fetchArt(`${base}/silent`, { ...loopback, timeoutMs: 300 }))).toBe('fetch-timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await codeOf(fetchArt(`${base}/missing`, loopback))).toBe('http-status');
    expect(await codeOf(fetchArt(`${base}/loop`, loopback))).toBe('too-many-redirects');
  });

  it('takes only https, and never a private, loopback or link-local address', async () => {
    expect(await codeOf(fetchArt(serve('/p.png', paintingPng(100, 140))))).toBe('bad-url');
    expect(await codeOf(fetchArt('ftp://example.com/a.png'))).toBe('bad-url');
    expect(await codeOf(fetchArt('not a url'))).toBe('bad-url');
    expect(await codeOf(fetchArt('https://user:pw@example.com/a.png'))).toBe('bad-url');
    expect(await codeOf(fetchArt('https://127.0.0.1/a.png'))).toBe('blocked-address');
    expect(await codeOf(fetchArt('https://169.254.169.254/latest/meta-data/'))).toBe('blocked-address');
    expect(await codeOf(fetchArt('https://localhost/a.png'))).toBe('blocked-address');
    // A redirect to the metadata service is refused even where loopback is allowed for tests.
    routes.set('/to-metadata', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end());
    expect(await codeOf(fetchArt(`${base}/to-metadata`, loopback))).toBe('blocked-address');
    for (const address of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '0.0.0.0',
    ])
      expect(isBlockedAddress(address)).toBe(true);
    for (const address of ['93.184.216.34', '2606:4700::1111']) expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('takeArt into the ArtStore (real test database)', () => {
  it('stores normalised art once per guild as binary and reads it back through the byte-bounded cache', async () => {
    const store = new ArtStore(database.db, 1024 * 1024);
    const url = serve('/card.jpg', painting(640, 896, 30).encodeSync('jpeg', 90), 'image/jpeg');
    const first = await takeArt(store, 'g1', { kind: 'url', url }, 'admin-1', loopback);
    const again = await takeArt(store, 'g1', { kind: 'url', url }, 'admin-1', loopback);
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.id).toBe(first.id);
    const doc = await database.db.collection(ART_COLLECTION).findOne({ _id: `g1:${first.id}` as never });
    expect(doc?.bytes).toBe(first.data.length);
    expect(Buffer.compare((await store.get('g1', first.id)) ?? Buffer.alloc(0), first.data)).toBe(0);
    // A fresh store (a restarted bot) reads the bytes from the database.
    const fresh = new ArtStore(database.db);
    expect(Buffer.compare((await fresh.get('g1', first.id)) ?? Buffer.alloc(0), first.data)).toBe(0);
    expect(fresh.cachedBytes).toBe(first.data.length);
    // Another guild does not see it.
    expect(await fresh.get('g2', first.id)).toBeNull();
    expect(await fresh.sourceFor('g2').loadArt(first.id)).toBeNull();
    expect(await fresh.list('g1')).toEqual([first.id]);
    expect(await fresh.delete('g1', first.id)).toBe(true);
    expect(await fresh.get('g1', first.id)).toBeNull();
  });

  it('keeps its cache within its byte budget', async () => {
    const store = new ArtStore(database.db, 30 * 1024);
    for (let hue = 0; hue < 5; hue++)
      await takeArt(store, 'g3', { kind: 'bytes', data: paintingPng(320, 448, hue * 60) }, null);
    expect(store.cachedBytes).toBeLessThanOrEqual(30 * 1024);
  });

  it('stores nothing when an image is refused, and refuses an attachment declared over 8 MB without fetching it', async () => {
    const store = new ArtStore(database.db);
    let fetched = 0;
    routes.set('/big-attachment', (_req, res) => {
      fetched++;
      res.writeHead(200).end(paintingPng(100, 140));
    });
    const refused = [
      takeArt(store, 'g4', { kind: 'bytes', data: Buffer.from('plain text') }, null),
      takeArt(
        store,
        'g4',
        { kind: 'attachment', url: `${base}/big-attachment`, size: 9 * 1024 * 1024 },
        null,
        loopback,
      ),
      takeArt(store, 'g4', { kind: 'url', url: `${base}/missing` }, null, loopback),
    ];
    expect(await Promise.all(refused.map(codeOf))).toEqual(['unsupported-type', 'too-large', 'http-status']);
    expect(fetched).toBe(0);
    expect(await database.db.collection(ART_COLLECTION).countDocuments({ guildId: 'g4' })).toBe(0);
  });
});

describe('art error messages', () => {
  it('exist in Japanese and English for every code, with the parameters filled in', () => {
    for (const [code, byLocale] of Object.entries(ART_MESSAGES)) {
      for (const locale of ['ja', 'en'] as const) {
        const text = byLocale[locale]({
          limit: 8 * 1024 * 1024,
          width: 10,
          height: 10,
          min: 64,
          max: 4096,
          status: 404,
          seconds: 10,
        });
        expect(text.length).toBeGreaterThan(5);
        expect(text).not.toMatch(/undefined|NaN/);
        if (locale === 'ja') expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        expect(code).toBeTruthy();
      }
    }
    expect(artErrorMessage(new ArtError('too-large', 'x', { limit: 8 * 1024 * 1024 }), 'ja')).toBe(
      '画像が8MBを超えています。',
    );
    expect(artErrorMessage(new ArtError('http-status', 'x', { status: 404 }), 'en')).toBe(
      'The image link answered HTTP 404.',
    );
  });
});
