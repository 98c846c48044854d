/**
 * Fetches an image from an https URL once: a deadline for the whole transfer, at most 8 MB read
 * (the transfer stops there), at most 3 redirects, and no private, loopback or link-local address
 * (checked on the address actually connected to, so DNS cannot be used to reach the host itself or
 * the instance metadata service).
 */
import { isIP } from 'node:net';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ArtError } from './art-errors';
import { ART_LIMITS } from './art-limits';

export interface FetchArtOptions {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /**
   * Allow http:// and loopback addresses. Only for tests and the local simulator (its attachment
   * URLs are http://127.0.0.1); never set in production.
   */
  readonly allowLoopbackHttp?: boolean;
}

/** True for addresses a fetched URL must never reach. */
export function isBlockedAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase();
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe8') ||
    v6.startsWith('fe9') ||
    v6.startsWith('fea') ||
    v6.startsWith('feb') ||
    v6.startsWith('ff')
  );
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(?:::ffff:)?127\./.test(address);
}

function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const list = addresses;
      const blocked = list.find((a) => isBlockedAddress(a.address) && !(allowLoopback && isLoopback(a.address)));
      const first = list[0];
      if (blocked || !first) {
        callback(new ArtError('blocked-address', `address ${blocked?.address ?? 'none'} is not allowed`), '', 0);
        return;
      }
      if (options.all) callback(null, list);
      else callback(null, first.address, first.family);
    });
  };
}

function parseUrl(raw: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ArtError('bad-url', 'not a URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw new ArtError('bad-url', 'not https');
  if (url.username || url.password) throw new ArtError('bad-url', 'credentials in URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host) && !(allowHttp && isLoopback(host))) {
    throw new ArtError('blocked-address', `address ${host} is not allowed`);
  }
  return url;
}

function getOnce(url: URL, options: Required<FetchArtOptions>, deadline: number): Promise<Buffer | URL> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new ArtError('fetch-timeout', 'deadline passed', { seconds: options.timeoutMs / 1000 }));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(
      url,
      {
        lookup: guardedLookup(options.allowLoopbackHttp),
        headers: { accept: 'image/png,image/jpeg,image/webp,image/gif', 'user-agent': 'gacha-bot-art/1' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          clearTimeout(timer);
          try {
            resolve(new URL(response.headers.location, url));
          } catch {
            reject(new ArtError('bad-url', 'bad redirect'));
          }
          return;
        }
        if (status !== 200) {
          response.resume();
          clearTimeout(timer);
          reject(new ArtError('http-status', `HTTP ${status}`, { status }));
          return;
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > options.maxBytes) {
          request.destroy();
          clearTimeout(timer);
          reject(new ArtError('too-large', `declared ${declared} bytes`, { limit: options.maxBytes }));
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxBytes) {
            request.destroy(
              new ArtError('too-large', `more than ${options.maxBytes} bytes`, { limit: options.maxBytes }),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks));
        });
        response.on('error', () => undefined);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new ArtError('fetch-timeout', 'timed out', { seconds: options.timeoutMs / 1000 }));
    }, remaining);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof ArtError ? error : new ArtError('fetch-failed', error.message));
    });
  });
}

/** The bytes at `raw` (following at most 3 redirects), or an ArtError saying why not. */
export async function fetchArt(raw: string, options: FetchArtOptions = {}): Promise<Buffer> {
  const resolved: Required<FetchArtOptions> = {
    timeoutMs: options.timeoutMs ?? ART_LIMITS.fetchTimeoutMs,
    maxBytes: options.maxBytes ?? ART_LIMITS.maxInputBytes,
    allowLoopbackHttp: options.allowLoopbackHttp ?? false,
  };
  const deadline = Date.now() + resolved.timeoutMs;
  let url = parseUrl(raw, resolved.allowLoopbackHttp);
  for (let hop = 0; hop <= ART_LIMITS.maxRedirects; hop++) {
    const result = await getOnce(url, resolved, deadline);
    if (Buffer.isBuffer(result)) return result;
    url = parseUrl(result.href, resolved.allowLoopbackHttp);
  }
  throw new ArtError('too-many-redirects', 'too many redirects');
}
