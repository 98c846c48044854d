/**
 * An in-process model of what `ensure-users.js` meets on the instance: mongod 8 with
 * `security.authorization: enabled`, reached through mongosh's shell API (`new Mongo(uri)`,
 * `db.auth`, `db.createUser`, `db.updateUser`, `db.getUser`, `db.getUsers`).
 *
 * The rules it enforces are MongoDB's (manual: "Localhost Exception", "Enable Access Control"):
 * - an unauthenticated connection may run only handshake commands (hello, ping, buildInfo) and
 *   authenticate; anything else fails with code 13 Unauthorized ("requires authentication");
 * - the localhost exception: while no user exists at all, an unauthenticated connection from
 *   localhost may create the first user, in the admin database only; as soon as one user exists
 *   the exception is closed (for that connection too);
 * - a failed authentication is code 18 AuthenticationFailed and leaves the connection as it was;
 * - user management needs a role that grants it (root here); creating an existing user is code
 *   51003, updating a missing one code 11 UserNotFound.
 * mongosh turns a failed command into a thrown MongoServerError carrying `code`; `db.getUser`
 * answers null for a missing user, `db.getUsers()` the usersInfo reply `{ users, ok: 1 }`.
 */
import vm from 'node:vm';

export class MongoServerError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(message);
    this.name = 'MongoServerError';
  }
}

export interface Role {
  readonly role: string;
  readonly db: string;
}

export interface StoredUser {
  readonly db: string;
  readonly user: string;
  pwd: string;
  roles: Role[];
}

export interface SentCommand {
  readonly db: string;
  readonly command: string;
  readonly authenticatedAs: string | null;
  readonly outcome: 'ok' | number;
}

const HANDSHAKE = new Set(['hello', 'isMaster', 'ping', 'buildInfo']);
const USER_ADMIN = new Set(['createUser', 'updateUser', 'dropUser', 'usersInfo']);

type RoleInput = string | Role;

export class MongodAuthModel {
  private readonly users = new Map<string, StoredUser>();
  readonly sent: SentCommand[] = [];

  userNamed(db: string, user: string): StoredUser | undefined {
    return this.users.get(`${db}.${user}`);
  }

  get userCount(): number {
    return this.users.size;
  }

  connect(fromLocalhost: boolean): ModelConnection {
    return new ModelConnection(this, fromLocalhost);
  }

  /** @internal */
  execute(conn: ModelConnection, db: string, command: string, args: Record<string, unknown>): Record<string, unknown> {
    try {
      const reply = this.dispatch(conn, db, command, args);
      this.sent.push({ db, command, authenticatedAs: conn.userKey, outcome: 'ok' });
      return reply;
    } catch (error) {
      const code = error instanceof MongoServerError ? error.code : -1;
      this.sent.push({ db, command, authenticatedAs: conn.userKey, outcome: code });
      throw error;
    }
  }

  private dispatch(
    conn: ModelConnection,
    db: string,
    command: string,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    if (HANDSHAKE.has(command)) return { ok: 1 };
    if (command === 'authenticate') {
      const stored = this.userNamed(db, String(args.user));
      if (!stored || stored.pwd !== args.pwd) {
        throw new MongoServerError('Authentication failed.', 18, 'AuthenticationFailed');
      }
      conn.userKey = `${db}.${stored.user}`;
      return { ok: 1 };
    }
    const current = conn.userKey === null ? undefined : this.users.get(conn.userKey);
    if (!current) {
      const localhostException =
        conn.fromLocalhost && this.users.size === 0 && command === 'createUser' && db === 'admin';
      if (!localhostException) {
        throw new MongoServerError(`Command ${command} requires authentication`, 13, 'Unauthorized');
      }
    } else if (USER_ADMIN.has(command) && !current.roles.some((r) => r.role === 'root' && r.db === 'admin')) {
      throw new MongoServerError(`not authorized on ${db} to execute command { ${command} }`, 13, 'Unauthorized');
    }
    switch (command) {
      case 'createUser': {
        const user = String(args.createUser);
        if (this.userNamed(db, user)) {
          throw new MongoServerError(`User "${user}@${db}" already exists`, 51003, 'Location51003');
        }
        this.users.set(`${db}.${user}`, { db, user, pwd: String(args.pwd), roles: normalizeRoles(args.roles, db) });
        return { ok: 1 };
      }
      case 'updateUser': {
        const stored = this.userNamed(db, String(args.updateUser));
        if (!stored) throw new MongoServerError(`User ${String(args.updateUser)}@${db} not found`, 11, 'UserNotFound');
        if (typeof args.pwd === 'string') stored.pwd = args.pwd;
        if (args.roles !== undefined) stored.roles = normalizeRoles(args.roles, db);
        return { ok: 1 };
      }
      case 'usersInfo': {
        const wanted = args.usersInfo;
        const users = [...this.users.values()]
          .filter((u) => u.db === db && (typeof wanted !== 'string' || u.user === wanted))
          .map((u) => ({ _id: `${u.db}.${u.user}`, user: u.user, db: u.db, roles: u.roles }));
        return { users, ok: 1 };
      }
      default:
        throw new MongoServerError(`no such command: '${command}'`, 59, 'CommandNotFound');
    }
  }
}

function normalizeRoles(roles: unknown, db: string): Role[] {
  if (!Array.isArray(roles)) throw new MongoServerError('"roles" must be an array', 14, 'TypeMismatch');
  return (roles as RoleInput[]).map((r) => (typeof r === 'string' ? { role: r, db } : { role: r.role, db: r.db }));
}

export class ModelConnection {
  userKey: string | null = null;

  constructor(
    private readonly server: MongodAuthModel,
    readonly fromLocalhost: boolean,
  ) {}

  run(db: string, command: string, args: Record<string, unknown> = {}): Record<string, unknown> {
    return this.server.execute(this, db, command, args);
  }
}

/** mongosh's `Mongo` and `db` objects, as far as the script uses them. */
function shellApi(server: MongodAuthModel): { Mongo: new (uri: string) => unknown } {
  class ShellDB {
    constructor(
      private readonly conn: ModelConnection,
      private readonly name: string,
    ) {}

    auth(user: string, pwd: string): Record<string, unknown> {
      return this.conn.run(this.name, 'authenticate', { user, pwd });
    }

    createUser(doc: { user: string; pwd: string; roles: RoleInput[] }): Record<string, unknown> {
      return this.conn.run(this.name, 'createUser', { createUser: doc.user, pwd: doc.pwd, roles: doc.roles });
    }

    updateUser(user: string, update: { pwd?: string; roles?: RoleInput[] }): Record<string, unknown> {
      return this.conn.run(this.name, 'updateUser', { updateUser: user, ...update });
    }

    getUser(user: string): unknown {
      const reply = this.conn.run(this.name, 'usersInfo', { usersInfo: user });
      return (reply.users as unknown[])[0] ?? null;
    }

    getUsers(): Record<string, unknown> {
      return this.conn.run(this.name, 'usersInfo', { usersInfo: 1 });
    }

    adminCommand(command: Record<string, unknown>): Record<string, unknown> {
      const [name] = Object.keys(command);
      return this.conn.run('admin', name ?? '', command);
    }
  }

  class Mongo {
    private readonly conn: ModelConnection;

    constructor(uri: string) {
      const host = /^mongodb:\/\/(?:[^@/]*@)?([^:/]+)/.exec(uri)?.[1];
      if (!host) throw new Error(`model: cannot parse ${uri}`);
      this.conn = server.connect(host === '127.0.0.1' || host === 'localhost' || host === '::1');
    }

    getDB(name: string): ShellDB {
      return new ShellDB(this.conn, name);
    }
  }

  return { Mongo };
}

export interface ShellRun {
  readonly output: string[];
  readonly error: Error | undefined;
}

/** Runs a mongosh script (`mongosh --nodb --file`) against the model with these environment variables. */
export function runShellScript(server: MongodAuthModel, script: string, env: Record<string, string>): ShellRun {
  const output: string[] = [];
  const { Mongo } = shellApi(server);
  try {
    vm.runInNewContext(script, {
      Mongo,
      print: (...parts: unknown[]) => output.push(parts.join(' ')),
      process: { env },
    });
    return { output, error: undefined };
  } catch (error) {
    // The script's own `new Error` belongs to the vm context: not an instance of this realm's Error.
    const message =
      error !== null && typeof error === 'object' && 'message' in error ? String(error.message) : String(error);
    const failure = new Error(message);
    if (error instanceof MongoServerError) return { output, error };
    return { output, error: failure };
  }
}
