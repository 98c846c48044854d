#!/bin/bash
# Idempotent host configuration, run as root by the release document on every release (State
# Manager), never by user data alone: swap, packages, MongoDB (loopback, auth, capped cache, a
# sandboxing drop-in), the bot's system user and directories, database users, systemd units and
# timers (backup, security updates, logrotate). Safe to re-run; touches no data.
#
# What changed is acted on: a new mongod.conf or mongod drop-in restarts mongod; a new bot unit,
# host environment, env script, Discord token or bot password marks a bot restart as pending
# (@@ROOT@@/restart-pending), which the release step that follows performs blue/green.
set -euo pipefail
source @@CONFIG_DIR@@/host.env
SYSROOT=@@SYSROOT@@
UNITS_SRC=@@CONFIG_DIR@@/units
UNITS_DIR="$SYSROOT/etc/systemd/system"
STATE_DIR="$SYSROOT/var/lib/gacha-bot-host"

log() { echo "host-setup: $*"; }
die() {
  echo "host-setup: $*" >&2
  exit 1
}

# install_if_changed SRC DEST: installs SRC (0644, root) as DEST; true when DEST changed.
install_if_changed() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 1; fi
  install -D -m 0644 -o root -g root "$1" "$2"
  return 0
}

# 1 GiB swap: mongod and Node share 1 GiB of RAM; swap absorbs short peaks instead of the OOM killer.
if ! swapon --show=NAME --noheadings | grep -qx /swapfile; then
  if [ ! -f "$SYSROOT/swapfile" ]; then
    dd if=/dev/zero of="$SYSROOT/swapfile" bs=1M count=1024 status=none
    chmod 600 "$SYSROOT/swapfile"
    mkswap "$SYSROOT/swapfile" >/dev/null
  fi
  swapon "$SYSROOT/swapfile"
fi
grep -q '^/swapfile ' "$SYSROOT/etc/fstab" 2>/dev/null || echo '/swapfile none swap defaults 0 0' >>"$SYSROOT/etc/fstab"
sysctl -q -w vm.swappiness=10
install -d -m 0755 "$SYSROOT/etc/sysctl.d"
echo 'vm.swappiness=10' >"$SYSROOT/etc/sysctl.d/90-gacha-bot.conf"

# Packages: Node.js 22 from Amazon Linux, MongoDB 8.0 from MongoDB's official AL2023 repository,
# dnf-plugins-core for `dnf needs-restarting` (the patch job).
install -d -m 0755 "$SYSROOT/etc/yum.repos.d"
cat >"$SYSROOT/etc/yum.repos.d/mongodb-org-8.0.repo" <<'REPO'
[mongodb-org-8.0]
name=MongoDB Repository
baseurl=https://repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/x86_64/
gpgcheck=1
enabled=1
gpgkey=https://pgp.mongodb.com/server-8.0.asc
REPO
need=()
for pkg in nodejs22 mongodb-org-server mongodb-mongosh-shared-openssl3 mongodb-database-tools \
  amazon-cloudwatch-agent unzip logrotate dnf-plugins-core; do
  rpm -q "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  dnf install -y -q "${need[@]}"
fi

# systemd units and drop-ins (bot slots, backup, patch job, mongod's sandbox).
units_changed=()
for unit in @@SYSTEMD_UNITS@@; do
  if install_if_changed "$UNITS_SRC/$unit" "$UNITS_DIR/$unit"; then units_changed+=("$unit"); fi
done
if [ ${#units_changed[@]} -gt 0 ]; then
  log "units changed: ${units_changed[*]}"
  systemctl daemon-reload
fi

# MongoDB: loopback only, authentication on, WiredTiger cache capped (journaling is always on).
mongod_changed=no
install_if_changed @@CONFIG_DIR@@/mongod.conf "$SYSROOT/etc/mongod.conf" && mongod_changed=yes
[[ " ${units_changed[*]} " == *" mongod.service.d/"* ]] && mongod_changed=yes
if systemctl is-active --quiet mongod; then
  if [ "$mongod_changed" = yes ]; then
    log "mongod configuration changed: restarting mongod"
    systemctl restart mongod
  fi
else
  systemctl restart mongod
fi
systemctl enable --quiet mongod
up=no
for _ in $(seq 1 60); do
  if mongosh --quiet --host @@DB_HOST@@ --port @@DB_PORT@@ --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; then
    up=yes
    break
  fi
  sleep "${PING_INTERVAL:-1}"
done
[ "$up" = yes ] || die "mongod does not answer on @@DB_HOST@@:@@DB_PORT@@ (journalctl -u mongod)"

# Bot user and directories.
getent group gacha-bot >/dev/null || groupadd --system gacha-bot
id gacha-bot >/dev/null 2>&1 || useradd --system --gid gacha-bot --home-dir @@ROOT@@ --shell /sbin/nologin gacha-bot
install -d -m 0755 -o root -g root @@ROOT@@ @@RELEASES@@ @@SLOTS@@
install -d -m 0750 -o gacha-bot -g gacha-bot @@LOG_DIR@@
install -d -m 0700 -o gacha-bot -g gacha-bot @@BACKUP_STATE_DIR@@
install -d -m 0700 -o root -g root "$STATE_DIR"

# Secrets from SSM, into variables (a failed or empty read stops the set-up here, loudly).
secret() {
  local value
  value="$(aws ssm get-parameter --region "$AWS_REGION" --with-decryption --name "${SSM_PREFIX}$1" \
    --query Parameter.Value --output text)" || die "cannot read ${SSM_PREFIX}$1 from SSM"
  [ -n "$value" ] && [ "$value" != None ] || die "${SSM_PREFIX}$1 is empty in SSM (npm run secrets:put)"
  printf '%s' "$value"
}
# The version number of a parameter (not secret; read without decryption).
version() {
  local value
  value="$(aws ssm get-parameter --region "$AWS_REGION" --name "${SSM_PREFIX}$1" \
    --query Parameter.Version --output text)" || die "cannot read the version of ${SSM_PREFIX}$1"
  [[ "$value" =~ ^[0-9]+$ ]] || die "unexpected version of ${SSM_PREFIX}$1: $value"
  echo "$value"
}

# Database users (ensure-users.js: the admin through the localhost exception on the first run,
# then the bot and backup users). Rotating the admin password needs the one MongoDB has: the SSM
# version applied last (recorded here, a number, not the secret) or else the one before current.
admin_version="$(version @@SECRET_ADMIN@@)"
applied="$(cat "$STATE_DIR/admin-password-version" 2>/dev/null || true)"
previous_version=""
if [[ "$applied" =~ ^[0-9]+$ ]]; then
  [ "$applied" = "$admin_version" ] || previous_version="$applied"
elif [ "$admin_version" -gt 1 ]; then
  previous_version=$((admin_version - 1))
fi
admin_password="$(secret @@SECRET_ADMIN@@)"
previous_admin_password=""
[ -z "$previous_version" ] || previous_admin_password="$(secret "@@SECRET_ADMIN@@:$previous_version")"
bot_password="$(secret @@SECRET_BOT@@)"
backup_password="$(secret @@SECRET_BACKUP@@)"
MONGO_ADMIN_PASSWORD="$admin_password" \
  MONGO_ADMIN_PASSWORD_PREVIOUS="$previous_admin_password" \
  MONGO_BOT_PASSWORD="$bot_password" \
  MONGO_BACKUP_PASSWORD="$backup_password" \
  mongosh --quiet --nodb --file @@CONFIG_DIR@@/ensure-users.js
unset admin_password previous_admin_password bot_password backup_password
echo "$admin_version" >"$STATE_DIR/admin-password-version"

# The bot's configuration: its unit, the host environment, the env script and the versions of the
# secrets it starts with. When that changes, the running slot must be replaced.
fingerprint="$(
  {
    cat "$UNITS_DIR/gacha-bot@.service" @@CONFIG_DIR@@/host.env "$SYSROOT/usr/local/sbin/gacha-bot-env"
    echo "token $(version @@SECRET_TOKEN@@) bot-password $(version @@SECRET_BOT@@)"
  } | sha256sum | cut -d' ' -f1
)"
if [ "$(cat "$STATE_DIR/bot-config.sha256" 2>/dev/null || true)" != "$fingerprint" ]; then
  log "bot configuration changed: restart pending (the release step switches slots)"
  echo "bot configuration changed" >@@ROOT@@/restart-pending
  echo "$fingerprint" >"$STATE_DIR/bot-config.sha256"
fi

# Logs rotated daily by the logrotate package's timer; backups daily; security updates weekly.
install -D -m 0644 @@CONFIG_DIR@@/logrotate.conf "$SYSROOT/etc/logrotate.d/gacha-bot"
systemctl enable --now --quiet logrotate.timer gacha-bot-backup.timer gacha-bot-patch.timer

# CloudWatch agent: configuration from its SSM parameter (metrics, log files, retention).
"$SYSROOT/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s \
  -c "ssm:${AGENT_CONFIG_PARAMETER}" >/dev/null
log "done"
