// mongosh script run by gacha-bot-host-setup: creates the admin user through the localhost
// exception when none exists, then makes sure the bot and backup users exist with current
// passwords and least privilege. Passwords arrive in the environment, never on a command line.
const uri = 'mongodb://@@DB_HOST@@:@@DB_PORT@@/admin';
const adminPassword = process.env.MONGO_ADMIN_PASSWORD;
const botPassword = process.env.MONGO_BOT_PASSWORD;
const backupPassword = process.env.MONGO_BACKUP_PASSWORD;
if (!adminPassword || !botPassword || !backupPassword) {
  throw new Error('ensure-users: a MongoDB password is missing from SSM (run npm run secrets:put)');
}
let conn = new Mongo(uri);
let admin = conn.getDB('admin');
const users = (() => {
  try {
    return admin.getUsers().users ?? [];
  } catch (e) {
    return null; // authentication required: users exist
  }
})();
if (users !== null && users.length === 0) {
  admin.createUser({ user: '@@DB_ADMIN_USER@@', pwd: adminPassword, roles: ['root'] });
  print('ensure-users: admin user created');
}
conn = new Mongo(uri);
admin = conn.getDB('admin');
admin.auth('@@DB_ADMIN_USER@@', adminPassword);
const app = conn.getDB('@@DB_NAME@@');
function upsertUser(db, user, pwd, roles) {
  if (db.getUser(user) === null) {
    db.createUser({ user, pwd, roles });
    print(`ensure-users: ${user} created`);
  } else {
    db.updateUser(user, { pwd, roles });
  }
}
upsertUser(app, '@@DB_BOT_USER@@', botPassword, [{ role: 'readWrite', db: '@@DB_NAME@@' }]);
upsertUser(app, '@@DB_BACKUP_USER@@', backupPassword, [{ role: 'read', db: '@@DB_NAME@@' }]);
