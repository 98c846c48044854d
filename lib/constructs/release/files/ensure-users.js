// mongosh script run by gacha-bot-host-setup (mongosh --nodb --file): makes sure MongoDB's users
// exist with the passwords in SSM and least privilege. Passwords arrive in the environment, never
// on a command line, and are never printed.
//
// MongoDB's rules, which this follows: with authorization on, an unauthenticated connection from
// localhost may create only the FIRST user, in the admin database (the localhost exception); every
// other command (usersInfo/getUsers included) fails Unauthorized until then, and once a user
// exists the exception is closed. So the script never asks whether users exist: it authenticates
// as the admin, and only if that fails tries to create the admin. A refusal (Unauthorized) means
// the admin exists with another password: the previous SSM version (MONGO_ADMIN_PASSWORD_PREVIOUS)
// then authenticates and the password is rotated to the current one.
const uri = 'mongodb://@@DB_HOST@@:@@DB_PORT@@/admin';
const ADMIN = '@@DB_ADMIN_USER@@';
const adminPassword = process.env.MONGO_ADMIN_PASSWORD;
const previousAdminPassword = process.env.MONGO_ADMIN_PASSWORD_PREVIOUS || '';
const botPassword = process.env.MONGO_BOT_PASSWORD;
const backupPassword = process.env.MONGO_BACKUP_PASSWORD;
if (!adminPassword || !botPassword || !backupPassword) {
  throw new Error('ensure-users: a MongoDB password is missing from SSM (run npm run secrets:put)');
}

const AUTHENTICATION_FAILED = 18;
const UNAUTHORIZED = 13;

function log(message) {
  print(`ensure-users: ${message}`);
}

/** True when `user` authenticates with `pwd` against `dbName` on a fresh connection `conn`. */
function authenticates(conn, dbName, user, pwd) {
  try {
    conn.getDB(dbName).auth(user, pwd);
    return true;
  } catch (e) {
    if (e.code === AUTHENTICATION_FAILED) return false;
    throw e;
  }
}

/** A connection authenticated as the admin with the current password (creating or rotating it). */
function adminConnection() {
  const conn = new Mongo(uri);
  if (authenticates(conn, 'admin', ADMIN, adminPassword)) return conn;
  try {
    // Succeeds only under the localhost exception: no user exists yet.
    new Mongo(uri).getDB('admin').createUser({ user: ADMIN, pwd: adminPassword, roles: ['root'] });
    log(`${ADMIN} created (first user, localhost exception)`);
  } catch (e) {
    if (e.code !== UNAUTHORIZED) throw e;
    // Users exist, and the current password is not the admin's: rotate from the previous one.
    const old = new Mongo(uri);
    if (!previousAdminPassword || !authenticates(old, 'admin', ADMIN, previousAdminPassword)) {
      throw new Error(
        `ensure-users: ${ADMIN} exists but neither the current nor the previous SSM version of its password authenticates`,
      );
    }
    old.getDB('admin').updateUser(ADMIN, { pwd: adminPassword });
    log(`${ADMIN} password rotated`);
  }
  const fresh = new Mongo(uri);
  if (!authenticates(fresh, 'admin', ADMIN, adminPassword)) {
    throw new Error(`ensure-users: ${ADMIN} does not authenticate with the current password`);
  }
  return fresh;
}

function ensureUser(conn, dbName, user, pwd, roles) {
  const db = conn.getDB(dbName);
  if (db.getUser(user) === null) {
    db.createUser({ user, pwd, roles });
    log(`${user} created`);
  } else if (authenticates(new Mongo(uri), dbName, user, pwd)) {
    db.updateUser(user, { roles });
    log(`${user} up to date`);
  } else {
    db.updateUser(user, { pwd, roles });
    log(`${user} password rotated`);
  }
}

const admin = adminConnection();
ensureUser(admin, '@@DB_NAME@@', '@@DB_BOT_USER@@', botPassword, [{ role: 'readWrite', db: '@@DB_NAME@@' }]);
ensureUser(admin, '@@DB_NAME@@', '@@DB_BACKUP_USER@@', backupPassword, [{ role: 'read', db: '@@DB_NAME@@' }]);
