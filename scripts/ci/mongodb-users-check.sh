#!/usr/bin/env bash
# mongodb-users-check.sh — runs the real ensure-users.js (rendered as the host set-up installs it)
# with mongosh inside a fresh `mongo:8.0 --auth` container, the way the host set-up runs it on the
# instance (unauthenticated from localhost, passwords in the environment):
#   1. first run: creates the admin under the localhost exception, then the bot and backup users;
#   2. second run, same passwords: changes nothing;
#   3. third run, admin and bot passwords changed (previous admin password given): rotates both;
# and checks after each run who can authenticate, that the bot user can write, and that no
# password ever appears in the output. Needs docker; used by the `mongodb-users` CI job.
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${MONGO_IMAGE:-mongo:8.0}
name=gacha-users-check-$$
work=$(mktemp -d)
trap 'docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

npx --no-install tsx scripts/ci/render-units.ts "$work/root" >/dev/null
chmod -R a+rX "$work"
docker run -d --name "$name" -v "$work/root/etc/gacha-bot:/gacha:ro" "$image" --auth >/dev/null
for _ in $(seq 1 60); do
  docker exec "$name" mongosh --quiet --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1 && break
  sleep 1
done

rand() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20; }
admin1=$(rand) bot1=$(rand) backup1=$(rand) admin2=$(rand) bot2=$(rand)
all_secrets=("$admin1" "$bot1" "$backup1" "$admin2" "$bot2")

ensure_users() { # admin bot backup [previous-admin]
  local out
  # Values through the environment (`-e NAME` copies it), never on a command line.
  out=$(MONGO_ADMIN_PASSWORD="$1" MONGO_BOT_PASSWORD="$2" MONGO_BACKUP_PASSWORD="$3" MONGO_ADMIN_PASSWORD_PREVIOUS="${4:-}" \
    docker exec -e MONGO_ADMIN_PASSWORD -e MONGO_BOT_PASSWORD -e MONGO_BACKUP_PASSWORD -e MONGO_ADMIN_PASSWORD_PREVIOUS \
    "$name" mongosh --quiet --nodb --file /gacha/ensure-users.js 2>&1) || {
    printf '%s\n' "$out" | sed 's/^/  | /'
    echo "mongodb-users-check: ensure-users.js failed" >&2
    return 1
  }
  printf '%s\n' "$out" | sed 's/^/  | /'
  for secret in "${all_secrets[@]}"; do
    if grep -qF -- "$secret" <<<"$out"; then echo "mongodb-users-check: a password was printed" >&2; return 1; fi
  done
}
can_auth() { # db user password → 0 when it authenticates
  PW="$3" docker exec -e PW "$name" mongosh --quiet --nodb --eval \
    "const c = new Mongo('mongodb://127.0.0.1:27017/$1'); try { c.getDB('$1').auth('$2', process.env.PW); print('ok') } catch (e) { print('no') }" |
    grep -qx ok
}
expect_auth() { can_auth "$@" || { echo "mongodb-users-check: $2 cannot authenticate and should" >&2; exit 1; }; }
expect_no_auth() { ! can_auth "$@" || { echo "mongodb-users-check: $2 authenticates with an old password" >&2; exit 1; }; }
bot_writes() {
  PW="$1" docker exec -e PW "$name" mongosh --quiet --nodb --eval \
    "const c = new Mongo('mongodb://127.0.0.1:27017/gacha'); c.getDB('gacha').auth('gacha-bot', process.env.PW); print(c.getDB('gacha').probe.insertOne({ at: new Date() }).acknowledged)" |
    grep -qx true || { echo "mongodb-users-check: the bot user cannot write" >&2; exit 1; }
}

echo "run 1: fresh mongod --auth (localhost exception)"
ensure_users "$admin1" "$bot1" "$backup1"
expect_auth admin gacha-admin "$admin1"
expect_auth gacha gacha-bot "$bot1"
expect_auth gacha gacha-backup "$backup1"
bot_writes "$bot1"

echo "run 2: same passwords (idempotent)"
ensure_users "$admin1" "$bot1" "$backup1"
expect_auth admin gacha-admin "$admin1"
expect_auth gacha gacha-bot "$bot1"

echo "run 3: admin and bot passwords rotated in SSM"
ensure_users "$admin2" "$bot2" "$backup1" "$admin1"
expect_auth admin gacha-admin "$admin2"
expect_no_auth admin gacha-admin "$admin1"
expect_auth gacha gacha-bot "$bot2"
expect_no_auth gacha gacha-bot "$bot1"
expect_auth gacha gacha-backup "$backup1"
bot_writes "$bot2"
echo "mongodb-users-check: ok"
