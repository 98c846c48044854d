/**
 * A local Discord-compatible REST + gateway server on loopback. The unmodified discord.js client
 * logs in to it (REST base `http://127.0.0.1:PORT/api`), receives READY / GUILD_CREATE, gets
 * INTERACTION_CREATE dispatches and answers through the interaction callback and webhooks.
 *
 * For tests it records every REST call, sends X-RateLimit-* headers, answers 429 on demand, forces
 * reconnects (op 7 or a close code) and replays missed dispatches on RESUME.
 *
 * Sharding (option `shardCount`): each IDENTIFY must carry `shard: [id, count]`; a guild's events
 * go only to the session of shard `(guild_id >> 22) % shardCount`; GET /gateway/bot answers the
 * shard count and `max_concurrency`, and IDENTIFYs that break the concurrency limit (two in one
 * bucket `id % max_concurrency` within 5 s, across all connections) are recorded.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type FieldError, checkInteractionCallback, checkMessage, invalidFormBody } from './reply-limits';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
  readonly at: number;
}

export interface SimGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly channelIds: readonly string[];
}

export interface SimMember {
  readonly userId: string;
  readonly username?: string;
  /** Permission bit field as a decimal string (Discord's format). */
  readonly permissions?: string;
}

export interface InteractionOptions {
  readonly guildId: string;
  readonly channelId?: string;
  readonly member: SimMember;
  readonly locale?: string;
  readonly commandName: string;
  readonly subcommand?: string;
  readonly options?: readonly { name: string; type: number; value: string | number | boolean }[];
  /** Message component (button) instead of a slash command. */
  readonly customId?: string;
  /**
   * Modal submit (type 5) instead of a slash command: the form's custom id and its filled
   * components as Discord sends them (labels `{ type: 18, component: { type: 4, custom_id, value } }`,
   * selects `{ type: 3, custom_id, values }`).
   */
  readonly modalSubmit?: { readonly customId: string; readonly components: readonly object[] };
  /** Autocomplete request (type 4) for the option named here instead of a slash command. */
  readonly autocompleteOption?: string;
  /** Files uploaded with the command; reference one from an option of type 11 by its id. */
  readonly attachments?: readonly { id: string; filename: string; content: string | Buffer; contentType?: string }[];
  readonly interactionId?: string;
  /**
   * Users named by user options (type 6), sent in `data.resolved.users` (and `members` for
   * members). A user option's id not listed here is resolved as a plain member of the guild.
   */
  readonly resolvedUsers?: readonly { id: string; username?: string; bot?: boolean; member?: boolean }[];
}

/** A file the bot uploaded with a reply (multipart): `content` is its UTF-8 text, `data` its bytes. */
export interface UploadedFile {
  readonly name: string;
  readonly content: string;
  readonly data: Buffer;
  readonly size: number;
  readonly contentType: string | null;
}

/** A reply Discord would refuse: answered 400 with the errors, never shown to the player. */
export interface RejectedReply {
  readonly interactionId: string | null;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly errors: readonly FieldError[];
  readonly at: number;
}

export interface InteractionReply {
  readonly interactionId: string;
  readonly type: number;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/** A message the bot posted in a channel (POST /channels/:id/messages), not a reply to an interaction. */
export interface ChannelMessage {
  readonly channelId: string;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/** Pseudo callback types for webhook edits and follow-ups, recorded beside real callbacks. */
export const EDIT_ORIGINAL = 100;
export const FOLLOW_UP = 101;

const PERMISSIONS_ALL_BUT_ADMIN = '2147483647';
export const PERMISSION_MANAGE_GUILD = 1n << 5n;
export const PLAIN_MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 31n));

let snowflakeCounter = 0n;
/** 18–19 digit snowflake, increasing. */
export function simSnowflake(): string {
  snowflakeCounter++;
  const timestamp = BigInt(Date.now() - 1420070400000);
  return String((timestamp << 22n) | (snowflakeCounter & 0x3fffffn));
}

/** The shard that receives a guild's events: `(guild_id >> 22) % shardCount` (Discord's formula). */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A snowflake whose guild would land on `shard` of `shardCount` (its timestamp part is chosen). */
function snowflakeOnShard(shard: number, shardCount: number): string {
  snowflakeCounter++;
  const now = BigInt(Date.now() - 1420070400000);
  const count = BigInt(shardCount);
  const timestamp = now - (now % count) + BigInt(shard) - count;
  return String((timestamp << 22n) | (snowflakeCounter & 0x3fffffn));
}

/** Discord's identify window: max_concurrency IDENTIFYs per bucket per 5 s. */
const IDENTIFY_WINDOW_MS = 5_000;

interface Session {
  readonly id: string;
  readonly shard: number;
  socket: WebSocket | null;
  seq: number;
  readonly sent: { seq: number; payload: string }[];
}

export interface SimulatorOptions {
  /**
   * Deliver each interaction to every connected session, as Discord does for two sessions on the
   * same shard (e.g. during a release overlap). Default: only the newest session.
   */
  readonly broadcastInteractions?: boolean;
  /** Gateway shards; each guild's events go to one shard's session. Default 1. */
  readonly shardCount?: number;
  /** `session_start_limit.max_concurrency` answered by GET /gateway/bot. Default 1. */
  readonly maxConcurrency?: number;
}

/** One IDENTIFY the simulator accepted, for assertions. */
export interface IdentifyRecord {
  readonly shard: number;
  readonly shardCount: number;
  readonly at: number;
}

export class DiscordSimulator {
  constructor(private readonly options: SimulatorOptions = {}) {}

  readonly applicationId = simSnowflake();
  readonly botUserId = this.applicationId;
  readonly calls: RecordedCall[] = [];
  readonly replies: InteractionReply[] = [];
  /** Replies refused for breaking Discord's limits (see reply-limits.ts); tests expect none. */
  readonly rejected: RejectedReply[] = [];
  readonly guilds: SimGuild[] = [];
  /** Messages the bot posted in channels, in order. */
  readonly channelMessages: ChannelMessage[] = [];
  private channelMessageWaiters: (() => void)[] = [];
  /**
   * Channels the bot may not post in (answered 403 Missing Permissions, code 50013). A channel of
   * no guild is answered 404 Unknown Channel (code 10003).
   */
  readonly forbiddenChannels = new Set<string>();
  /** Registered commands per scope ('global' or a guild id). */
  readonly commands = new Map<string, unknown[]>();
  /** The same, as Discord answers them: with their application command ids. */
  private readonly registered = new Map<string, { readonly name: string; readonly id: string }[]>();

  /** The id Discord gave a registered command (global scope unless a guild is named). */
  commandId(name: string, scope = 'global'): string | undefined {
    return this.registered.get(scope)?.find((c) => c.name === name)?.id;
  }
  private server: http.Server | null = null;
  private wss: WebSocketServer | null = null;
  private port = 0;
  private readonly sessions = new Map<string, Session>();
  /** The live session of each shard (the newest IDENTIFY or RESUME). */
  private readonly currentByShard = new Map<number, Session>();
  get shardCount(): number {
    return Math.max(1, this.options.shardCount ?? 1);
  }

  get maxConcurrency(): number {
    return Math.max(1, this.options.maxConcurrency ?? 1);
  }

  /** Every accepted IDENTIFY, in order. */
  readonly identifies: IdentifyRecord[] = [];
  /** IDENTIFYs that Discord would rate-limit (two in one bucket within 5 s). */
  readonly identifyViolations: string[] = [];
  private forced429: { remaining: number; retryAfterSeconds: number; global: boolean } | null = null;
  private rateLimitWindow: { until: number; retryAfterSeconds: number; pathPattern: RegExp } | null = null;
  /** Replies indexed by interaction, and waiters per interaction (O(1) per reply, even in a 5,000 burst). */
  private readonly repliesById = new Map<string, InteractionReply[]>();
  private readonly replyWaiters = new Map<string, ((r: InteractionReply) => void)[]>();
  private readonly rejectionWaiters = new Map<string, ((error: Error) => void)[]>();
  private readyWaiters: (() => void)[] = [];
  private identified = false;
  private readonly tokenToInteraction = new Map<string, string>();
  private readonly files = new Map<string, { data: Buffer; contentType: string }>();
  /** Gateway identifies and resumes seen, for assertions. */
  readonly gatewayLog: string[] = [];

  get restBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.handleRest(req, res);
    });
    // Node closes an idle keep-alive connection after 5 s; undici keeps one for 4 s (the server's
    // hint less 1 s) and then writes its next request into it. A bot starved of CPU (a loaded
    // machine) closes its side late, and its callback then dies with EPIPE, which discord.js does
    // not retry. Discord's API keeps idle connections far longer than 5 s, so the simulator does too.
    this.server.keepAliveTimeout = 120_000;
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket) => {
      this.handleSocket(socket);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => {
      if (this.wss)
        this.wss.close(() => {
          resolve();
        });
      else resolve();
    });
    await new Promise<void>((resolve) => {
      if (this.server) {
        this.server.close(() => {
          resolve();
        });
        // close() waits for every connection to end, and idle keep-alive ones are kept 120 s
        // (see start): end them all now, or stopping takes up to two minutes.
        this.server.closeAllConnections();
      } else resolve();
    });
  }

  /** Adds a guild (on `shard` when given, else where its id falls) and announces it to that shard. */
  addGuild(name: string, channelCount = 2, shard?: number): SimGuild {
    const guild: SimGuild = {
      id: shard === undefined ? simSnowflake() : snowflakeOnShard(shard, this.shardCount),
      name,
      ownerId: simSnowflake(),
      channelIds: Array.from({ length: channelCount }, () => simSnowflake()),
    };
    this.guilds.push(guild);
    const onShard = this.shardOf(guild.id);
    if (this.currentByShard.get(onShard)?.socket) this.dispatch('GUILD_CREATE', this.guildPayload(guild), onShard);
    return guild;
  }

  /** The shard whose session receives this guild's events. */
  shardOf(guildId: string): number {
    return shardOfGuild(guildId, this.shardCount);
  }

  /** Shards with a connected session now. */
  connectedShards(): number[] {
    return [...this.currentByShard.entries()]
      .filter(([, session]) => session.socket?.readyState === WebSocket.OPEN)
      .map(([shard]) => shard)
      .sort((a, b) => a - b);
  }

  /** Resolves when a client has identified and received READY. */
  async waitForIdentify(): Promise<void> {
    if (this.identified) return;
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /** Resolves with the channel's messages once `predicate` holds for them (or rejects after `timeoutMs`). */
  async waitForChannelMessages(
    predicate: (messages: readonly ChannelMessage[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<ChannelMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.channelMessages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`channel messages not as expected after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.channelMessageWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return [...this.channelMessages];
  }

  /** Answer the next `count` REST calls with 429 and a Retry-After. */
  force429(count: number, retryAfterSeconds = 0.2, global = false): void {
    this.forced429 = { remaining: count, retryAfterSeconds, global };
  }

  /**
   * Answer every REST call whose path matches `pathPattern` with 429 for `durationMs` (e.g. all
   * interaction callbacks for 20 s), with the given Retry-After.
   */
  rateLimitFor(durationMs: number, retryAfterSeconds = 1, pathPattern = /\/callback$/): void {
    this.rateLimitWindow = { until: Date.now() + durationMs, retryAfterSeconds, pathPattern };
  }

  /** Sends op 7 (RECONNECT) or closes with a code; the client resumes on `resume_gateway_url`. */
  forceReconnect(mode: 'op7' | 'close4000' | 'drop' = 'op7', shard = 0): void {
    const socket = this.currentByShard.get(shard)?.socket;
    if (!socket) return;
    if (mode === 'op7') socket.send(JSON.stringify({ op: 7, d: null }));
    else if (mode === 'close4000') socket.close(4000, 'unknown error');
    else socket.terminate();
  }

  /** Dispatches an INTERACTION_CREATE and returns its id. Missed dispatches replay on RESUME. */
  sendInteraction(options: InteractionOptions): string {
    const id = options.interactionId ?? simSnowflake();
    const guild = this.guilds.find((g) => g.id === options.guildId);
    const channelId = options.channelId ?? guild?.channelIds[0] ?? simSnowflake();
    const user = {
      id: options.member.userId,
      username: options.member.username ?? `user${options.member.userId.slice(-4)}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
    };
    const isComponent = options.customId !== undefined;
    const isAutocomplete = options.autocompleteOption !== undefined;
    const commandOptions = (options.options ?? []).map((o) =>
      o.name === options.autocompleteOption ? { ...o, focused: true } : o,
    );
    const modal = options.modalSubmit;
    const data = modal
      ? { custom_id: modal.customId, components: modal.components }
      : isComponent
        ? { custom_id: options.customId, component_type: 2 }
        : {
            id: simSnowflake(),
            name: options.commandName,
            type: 1,
            options: options.subcommand
              ? [{ name: options.subcommand, type: 1, options: commandOptions }]
              : commandOptions,
          };
    const attachments: Record<string, unknown> = {};
    for (const file of options.attachments ?? []) {
      const data = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
      const contentType = file.contentType ?? 'application/json; charset=utf-8';
      this.files.set(file.id, { data, contentType });
      attachments[file.id] = {
        id: file.id,
        filename: file.filename,
        size: data.length,
        url: `http://127.0.0.1:${this.port}/attachments/${file.id}/${encodeURIComponent(file.filename)}`,
        proxy_url: `http://127.0.0.1:${this.port}/attachments/${file.id}/${encodeURIComponent(file.filename)}`,
        content_type: contentType,
      };
    }
    if (options.attachments && !isComponent) Object.assign(data, { resolved: { attachments } });
    const userIds = (options.options ?? []).filter((o) => o.type === 6).map((o) => String(o.value));
    if (userIds.length > 0 && !isComponent) {
      const users: Record<string, unknown> = {};
      const members: Record<string, unknown> = {};
      for (const id of userIds) {
        const known = options.resolvedUsers?.find((u) => u.id === id);
        users[id] = {
          id,
          username: known?.username ?? `user${id.slice(-4)}`,
          discriminator: '0',
          global_name: null,
          avatar: null,
          bot: known?.bot ?? false,
        };
        if (known?.member ?? true) {
          members[id] = {
            roles: [],
            joined_at: new Date(0).toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
            permissions: PLAIN_MEMBER_PERMISSIONS,
          };
        }
      }
      const resolved = (data as { resolved?: Record<string, unknown> }).resolved ?? {};
      Object.assign(data, { resolved: { ...resolved, users, members } });
    }
    // Channel and role options come resolved, as Discord sends them (discord.js reads them there).
    const channelIds = commandOptions.filter((o) => o.type === 7).map((o) => String(o.value));
    const roleIds = commandOptions.filter((o) => o.type === 8).map((o) => String(o.value));
    if ((channelIds.length > 0 || roleIds.length > 0) && !isComponent && !modal) {
      const resolved = (data as { resolved?: Record<string, unknown> }).resolved ?? {};
      const channels = Object.fromEntries(
        channelIds.map((cid) => [
          cid,
          {
            id: cid,
            type: 0,
            name: `channel-${cid.slice(-4)}`,
            guild_id: options.guildId,
            permissions: PERMISSIONS_ALL_BUT_ADMIN,
          },
        ]),
      );
      const roles = Object.fromEntries(
        roleIds.map((rid) => [
          rid,
          {
            id: rid,
            name: 'role',
            color: 0,
            hoist: false,
            position: 0,
            permissions: '0',
            managed: false,
            mentionable: false,
          },
        ]),
      );
      Object.assign(data, {
        resolved: {
          ...resolved,
          ...(channelIds.length > 0 ? { channels } : {}),
          ...(roleIds.length > 0 ? { roles } : {}),
        },
      });
    }
    const payload = {
      id,
      application_id: this.applicationId,
      type: modal ? 5 : isComponent ? 3 : isAutocomplete ? 4 : 2,
      token: `tok_${randomBytes(12).toString('hex')}`,
      version: 1,
      guild_id: options.guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: options.guildId, name: 'gacha' },
      locale: options.locale ?? 'en-US',
      guild_locale: 'ja',
      app_permissions: PERMISSIONS_ALL_BUT_ADMIN,
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
      member: {
        user,
        roles: [],
        permissions: options.member.permissions ?? PLAIN_MEMBER_PERMISSIONS,
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      data,
      ...(isComponent
        ? {
            message: this.messagePayload({}, channelId),
          }
        : {}),
    };
    this.tokenToInteraction.set(payload.token, id);
    const shard = this.shardOf(options.guildId);
    if (this.options.broadcastInteractions) this.dispatchToAll('INTERACTION_CREATE', payload, shard);
    else this.dispatch('INTERACTION_CREATE', payload, shard);
    return id;
  }

  /** Resolves with the first callback for an interaction (already received or future). */
  async waitForReply(interactionId: string, timeoutMs = 10_000): Promise<InteractionReply> {
    const refused = this.rejected.find((r) => r.interactionId === interactionId);
    if (refused) throw rejectionError(refused);
    const existing = this.repliesById.get(interactionId)?.[0];
    if (existing) return existing;
    return this.nextReply(interactionId, () => true, timeoutMs, `no reply to interaction ${interactionId}`);
  }

  /**
   * Resolves with what the user finally sees: the callback message, or for a deferred interaction
   * (callback type 5, or 6 for a component) the edit or follow-up that follows it.
   */
  async waitForAnswer(interactionId: string, timeoutMs = 10_000): Promise<InteractionReply> {
    const first = await this.waitForReply(interactionId, timeoutMs);
    if (first.type !== 5 && first.type !== 6) return first;
    const isAnswer = (r: InteractionReply): boolean => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP;
    const answered = this.repliesTo(interactionId).find(isAnswer);
    if (answered) return answered;
    return this.nextReply(
      interactionId,
      isAnswer,
      timeoutMs,
      `deferred interaction ${interactionId} was never answered`,
    );
  }

  /** Waits for the next reply to `interactionId` that `accept` takes. */
  private nextReply(
    interactionId: string,
    accept: (r: InteractionReply) => boolean,
    timeoutMs: number,
    failure: string,
  ): Promise<InteractionReply> {
    return new Promise((resolve, reject) => {
      const remove = (): void => {
        const list = this.replyWaiters.get(interactionId) ?? [];
        const at = list.indexOf(waiter);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) this.replyWaiters.delete(interactionId);
        const failures = this.rejectionWaiters.get(interactionId) ?? [];
        const failureAt = failures.indexOf(fail);
        if (failureAt >= 0) failures.splice(failureAt, 1);
        if (failures.length === 0) this.rejectionWaiters.delete(interactionId);
      };
      const fail = (error: Error): void => {
        clearTimeout(timer);
        remove();
        reject(error);
      };
      const waiter = (r: InteractionReply): void => {
        if (!accept(r)) return;
        clearTimeout(timer);
        remove();
        resolve(r);
      };
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`${failure} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiters = this.replyWaiters.get(interactionId) ?? [];
      waiters.push(waiter);
      this.replyWaiters.set(interactionId, waiters);
      const failures = this.rejectionWaiters.get(interactionId) ?? [];
      failures.push(fail);
      this.rejectionWaiters.set(interactionId, failures);
    });
  }

  repliesTo(interactionId: string): InteractionReply[] {
    return [...(this.repliesById.get(interactionId) ?? [])];
  }

  // --- gateway ---------------------------------------------------------------------------------

  private handleSocket(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString()) as { op: number; d: Record<string, unknown> | null };
      if (message.op === 1) socket.send(JSON.stringify({ op: 11 }));
      else if (message.op === 2) this.identify(socket, message.d ?? {});
      else if (message.op === 6) this.resume(socket, message.d ?? {});
    });
    socket.on('close', () => {
      for (const session of this.sessions.values()) if (session.socket === socket) session.socket = null;
    });
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    const requested = Array.isArray(d.shard) ? d.shard.map(Number) : [0, 1];
    const [shard = 0, count = 1] = requested;
    // Discord's close codes: 4011 sharding required, 4010 invalid shard.
    if (this.shardCount > 1 && !Array.isArray(d.shard)) {
      socket.close(4011, 'Sharding required.');
      return;
    }
    if (count !== this.shardCount || shard < 0 || shard >= count) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    const now = Date.now();
    const bucket = shard % this.maxConcurrency;
    const sameBucket = this.identifies.filter(
      (i) => i.shard % this.maxConcurrency === bucket && now - i.at < IDENTIFY_WINDOW_MS,
    );
    if (sameBucket.length > 0) {
      this.identifyViolations.push(
        `shard ${shard} identified ${now - (sameBucket.at(-1)?.at ?? now)} ms after shard ${sameBucket.at(-1)?.shard} in bucket ${bucket}`,
      );
    }
    this.identifies.push({ shard, shardCount: count, at: now });
    this.gatewayLog.push('identify');
    const session: Session = { id: randomBytes(16).toString('hex'), shard, socket, seq: 0, sent: [] };
    this.sessions.set(session.id, session);
    this.currentByShard.set(shard, session);
    const guilds = this.guilds.filter((g) => this.shardOf(g.id) === shard);
    this.dispatch(
      'READY',
      {
        v: 10,
        user: { id: this.botUserId, username: 'gacha-bot', discriminator: '0', bot: true, avatar: null, flags: 0 },
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: `ws://127.0.0.1:${this.port}`,
        shard: [shard, count],
        application: { id: this.applicationId, flags: 0 },
      },
      shard,
    );
    for (const guild of guilds) this.dispatch('GUILD_CREATE', this.guildPayload(guild), shard);
    this.identified = true;
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private resume(socket: WebSocket, d: Record<string, unknown>): void {
    const session = this.sessions.get(String(d.session_id));
    if (!session) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.gatewayLog.push('resume');
    session.socket = socket;
    this.currentByShard.set(session.shard, session);
    const after = Number(d.seq ?? 0);
    for (const missed of session.sent.filter((s) => s.seq > after)) socket.send(missed.payload);
    session.seq++;
    const resumed = JSON.stringify({ op: 0, t: 'RESUMED', s: session.seq, d: {} });
    session.sent.push({ seq: session.seq, payload: resumed });
    socket.send(resumed);
  }

  private dispatch(event: string, d: unknown, shard = 0): void {
    const session = this.currentByShard.get(shard);
    if (!session) return;
    session.seq++;
    const payload = JSON.stringify({ op: 0, t: event, s: session.seq, d });
    session.sent.push({ seq: session.seq, payload });
    if (session.sent.length > 10_000) session.sent.splice(0, session.sent.length - 10_000);
    session.socket?.send(payload);
  }

  private dispatchToAll(event: string, d: unknown, shard: number): void {
    for (const session of this.sessions.values()) {
      if (session.shard !== shard || !session.socket || session.socket.readyState !== WebSocket.OPEN) continue;
      session.seq++;
      const payload = JSON.stringify({ op: 0, t: event, s: session.seq, d });
      session.sent.push({ seq: session.seq, payload });
      session.socket.send(payload);
    }
  }

  private guildPayload(guild: SimGuild): Record<string, unknown> {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: guild.ownerId,
      unavailable: false,
      member_count: 2,
      large: false,
      features: [],
      preferred_locale: 'ja',
      roles: [
        {
          id: guild.id,
          name: '@everyone',
          permissions: PLAIN_MEMBER_PERMISSIONS,
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      channels: guild.channelIds.map((id, i) => ({
        id,
        type: 0,
        name: `channel-${i}`,
        position: i,
        guild_id: guild.id,
        permission_overwrites: [],
      })),
      members: [],
      emojis: [],
      stickers: [],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      joined_at: new Date(0).toISOString(),
    };
  }

  // --- REST ------------------------------------------------------------------------------------

  private handleRest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      let body: unknown = null;
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data')) {
        body = parseMultipart(Buffer.concat(chunks), contentType);
      } else if (text && contentType.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
        this.calls.push({ method, path, body, status, at: Date.now() });
        const bucketHeaders = {
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': status === 429 ? '0' : '4',
          'x-ratelimit-reset-after': '1.000',
          'x-ratelimit-reset': String(Date.now() / 1000 + 1),
          'x-ratelimit-bucket': `sim-${path.split('/').slice(0, 5).join('-')}`,
        };
        if (json instanceof RawBody) {
          res.writeHead(status, { 'content-type': 'application/octet-stream', ...bucketHeaders, ...headers });
          res.end(json.text);
        } else if (json === undefined) {
          // A 204 must not carry a JSON content type (discord.js would try to parse it).
          res.writeHead(status, { ...bucketHeaders, ...headers });
          res.end();
        } else {
          res.writeHead(status, { 'content-type': 'application/json', ...bucketHeaders, ...headers });
          res.end(JSON.stringify(json));
        }
      };
      const window = this.rateLimitWindow;
      if (window && Date.now() < window.until && window.pathPattern.test(path)) {
        send(
          429,
          { message: 'You are being rate limited.', retry_after: window.retryAfterSeconds, global: false },
          { 'retry-after': String(window.retryAfterSeconds), 'x-ratelimit-scope': 'user' },
        );
        return;
      }
      if (this.forced429 && this.forced429.remaining > 0) {
        this.forced429.remaining--;
        const retry = this.forced429.retryAfterSeconds;
        send(
          429,
          { message: 'You are being rate limited.', retry_after: retry, global: this.forced429.global },
          {
            'retry-after': String(retry),
            ...(this.forced429.global ? { 'x-ratelimit-global': 'true' } : {}),
            'x-ratelimit-scope': this.forced429.global ? 'global' : 'user',
          },
        );
        return;
      }
      this.route(method, path, body, send);
    });
  }

  private route(
    method: string,
    path: string,
    body: unknown,
    send: (status: number, json?: unknown, headers?: Record<string, string>) => void,
  ): void {
    const parts = path
      .replace(/^\/api\/v\d+/, '')
      .split('/')
      .filter(Boolean);
    if (method === 'GET' && parts.join('/') === 'gateway/bot') {
      send(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.shardCount,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 86_400_000,
          max_concurrency: this.maxConcurrency,
        },
      });
      return;
    }
    // Bulk overwrite: /applications/:app/commands or /applications/:app/guilds/:guild/commands.
    const guildScoped = parts[2] === 'guilds' && parts[4] === 'commands';
    if (parts[0] === 'applications' && method === 'PUT' && (parts[2] === 'commands' || guildScoped)) {
      const list = Array.isArray(body) ? (body as object[]) : [];
      const scope = guildScoped ? String(parts[3]) : 'global';
      this.commands.set(scope, list);
      // Like Discord, a command keeps its id across overwrites (matched by name); new ones get one.
      const before = this.registered.get(scope) ?? [];
      const withIds = list.map((c) => {
        const name = (c as { name?: unknown }).name;
        const id = before.find((r) => r.name === name)?.id ?? simSnowflake();
        return { ...c, id, application_id: this.applicationId, version: simSnowflake() };
      });
      this.registered.set(
        scope,
        withIds.map((c) => ({ ...c, name: String((c as { name?: unknown }).name) })),
      );
      send(200, withIds);
      return;
    }
    // The registered commands with their ids: /applications/:app/commands (or a guild's).
    if (
      parts[0] === 'applications' &&
      method === 'GET' &&
      (parts[2] === 'commands' || guildScoped) &&
      parts.length <= 5
    ) {
      send(200, this.registered.get(guildScoped ? String(parts[3]) : 'global') ?? []);
      return;
    }
    if (parts[0] === 'interactions' && parts[3] === 'callback' && method === 'POST') {
      const interactionId = String(parts[1]);
      const payload = (body ?? {}) as { type?: number; data?: Record<string, unknown>; files?: UploadedFile[] };
      // Uploaded files (multipart) are recorded with the message they belong to.
      const data = { ...(payload.data ?? {}), ...(payload.files?.length ? { files: payload.files } : {}) };
      if ((this.repliesById.get(interactionId) ?? []).some((r) => r.type < EDIT_ORIGINAL)) {
        send(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
        return;
      }
      const errors = checkInteractionCallback(payload, payload.files ?? []);
      if (errors.length > 0) {
        this.reject({ interactionId, method, path, body, errors, at: Date.now() });
        send(400, invalidFormBody(errors));
        return;
      }
      this.recordReply({ interactionId, type: payload.type ?? 0, data, at: Date.now() });
      send(204);
      return;
    }
    if (parts[0] === 'webhooks' && method === 'DELETE') {
      send(204);
      return;
    }
    if (parts[0] === 'webhooks' && (method === 'PATCH' || method === 'POST')) {
      const token = String(parts[2]);
      const data = (body ?? {}) as Record<string, unknown> & { files?: UploadedFile[] };
      const interactionId = this.tokenToInteraction.get(token);
      const errors = checkMessage(data, data.files ?? [], { requireContent: method === 'POST' });
      if (errors.length > 0) {
        this.reject({ interactionId: interactionId ?? null, method, path, body, errors, at: Date.now() });
        send(400, invalidFormBody(errors));
        return;
      }
      if (interactionId) {
        this.recordReply({ interactionId, type: method === 'PATCH' ? EDIT_ORIGINAL : FOLLOW_UP, data, at: Date.now() });
      }
      send(200, this.messagePayload(data, this.guilds[0]?.channelIds[0] ?? simSnowflake()));
      return;
    }
    if (parts[0] === 'channels' && parts[2] === 'messages' && parts.length === 3 && method === 'POST') {
      const channelId = String(parts[1]);
      if (!this.guilds.some((g) => g.channelIds.includes(channelId))) {
        send(404, { message: 'Unknown Channel', code: 10003 });
        return;
      }
      if (this.forbiddenChannels.has(channelId)) {
        send(403, { message: 'Missing Permissions', code: 50013 });
        return;
      }
      const data = (body ?? {}) as Record<string, unknown> & { files?: UploadedFile[] };
      const errors = checkMessage(data, data.files ?? [], { requireContent: true });
      if (errors.length > 0) {
        this.reject({ interactionId: null, method, path, body, errors, at: Date.now() });
        send(400, invalidFormBody(errors));
        return;
      }
      this.channelMessages.push({ channelId, data, at: Date.now() });
      const waiters = this.channelMessageWaiters;
      this.channelMessageWaiters = [];
      for (const wake of waiters) wake();
      send(200, this.messagePayload(data, channelId));
      return;
    }
    if (method === 'GET' && path.startsWith('/attachments/')) {
      const file = this.files.get(path.split('/')[2] ?? '');
      if (file === undefined) send(404, { message: 'Unknown attachment', code: 0 });
      else send(200, new RawBody(file.data), { 'content-type': file.contentType });
      return;
    }
    if (method === 'GET' && parts[0] === 'users' && parts[1] === '@me') {
      send(200, { id: this.botUserId, username: 'gacha-bot', discriminator: '0', bot: true, avatar: null });
      return;
    }
    send(404, { message: 'Unknown route', code: 0 });
  }

  private reject(rejection: RejectedReply): void {
    this.rejected.push(rejection);
    if (!rejection.interactionId) return;
    for (const fail of [...(this.rejectionWaiters.get(rejection.interactionId) ?? [])]) fail(rejectionError(rejection));
  }

  private recordReply(reply: InteractionReply): void {
    this.replies.push(reply);
    const list = this.repliesById.get(reply.interactionId) ?? [];
    list.push(reply);
    this.repliesById.set(reply.interactionId, list);
    for (const waiter of [...(this.replyWaiters.get(reply.interactionId) ?? [])]) waiter(reply);
  }

  /** A message written by the bot, as Discord returns it. */
  private messagePayload(body: Record<string, unknown>, channelId: string): Record<string, unknown> {
    return {
      id: simSnowflake(),
      channel_id: channelId,
      author: { id: this.botUserId, username: 'gacha-bot', discriminator: '0', bot: true, avatar: null },
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }
}

/** A response body sent as it is (an uploaded file), not as JSON. */
class RawBody {
  constructor(readonly text: Buffer) {}
}

function rejectionError(rejection: RejectedReply): Error {
  const details = rejection.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new Error(
    `Discord would refuse the reply to ${rejection.interactionId ?? rejection.path} (400 Invalid Form Body): ${details}`,
  );
}

/**
 * Reads discord.js's multipart body byte-exactly: the `payload_json` part becomes the body, and
 * uploaded files are added as `files: [{ name, content, data, size, contentType }]`.
 */
function parseMultipart(raw: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  const body: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  let start = raw.indexOf(marker);
  while (start >= 0) {
    const next = raw.indexOf(marker, start + marker.length);
    if (next < 0) break;
    const part = raw.subarray(start + marker.length, next);
    start = next;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.subarray(0, split).toString('utf8');
    let content = part.subarray(split + 4);
    if (content.subarray(content.length - 2).toString() === '\r\n') content = content.subarray(0, content.length - 2);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const filename = /filename="([^"]+)"/.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? null;
    if (name === 'payload_json') Object.assign(body, JSON.parse(content.toString('utf8')) as object);
    else if (filename)
      files.push({
        name: filename,
        content: content.toString('utf8'),
        data: Buffer.from(content),
        size: content.length,
        contentType: type,
      });
  }
  return { ...body, files };
}
