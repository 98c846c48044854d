#!/bin/bash
# Idempotent host configuration, run as root by the release document on every release (State
# Manager), never by user data alone: swap, packages, MongoDB's data volume (formatted only when
# blank), MongoDB (loopback, auth, capped cache, a sandboxing drop-in), the bot's system user and
# directories, database users, systemd units and timers (backup, logrotate). OS security updates
# are SSM Patch Manager's (lib/constructs/os-patching.ts), not a unit of ours.
# Safe to re-run; never formats or deletes data.
#
# With DATABASE_MODE=external in host.env (the growth path: MongoDB Atlas or a replica set whose
# URI is the SecureString mongodb-uri) there is no mongod: no MongoDB package, no data volume, no
# database users. With BACKUP_INSTANCE set (several hosts share the database) only that instance
# enables the daily dump timer.
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

case "${DATABASE_MODE:-local}" in
  local) local_db=yes ;;
  external) local_db=no ;;
  *) die "host.env: DATABASE_MODE must be local or external (got '${DATABASE_MODE}')" ;;
esac

# This instance's id (IMDSv2), only needed when several hosts share the environment.
own_instance_id() {
  local token
  token="$(curl -sS -f -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)" ||
    die "cannot read an IMDSv2 token"
  curl -sS -f -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id ||
    die "cannot read the instance id from IMDS"
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

# Packages: Node.js 22 from Amazon Linux, MongoDB 8.0 from MongoDB's official AL2023 repository
# (local database only), dnf-plugins-core for `dnf needs-restarting` (gacha-bot-release resume, after OS patching).
packages=(nodejs22 amazon-cloudwatch-agent unzip logrotate dnf-plugins-core)
if [ "$local_db" = yes ]; then
  install -d -m 0755 "$SYSROOT/etc/yum.repos.d"
  cat >"$SYSROOT/etc/yum.repos.d/mongodb-org-8.0.repo" <<'REPO'
[mongodb-org-8.0]
name=MongoDB Repository
baseurl=https://repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/x86_64/
gpgcheck=1
enabled=1
gpgkey=https://pgp.mongodb.com/server-8.0.asc
REPO
  packages+=(mongodb-org-server mongodb-mongosh-shared-openssl3 mongodb-database-tools)
fi
need=()
for pkg in "${packages[@]}"; do
  rpm -q "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  dnf install -y -q "${need[@]}"
fi

# systemd units and drop-ins (bot slots, backup, mongod's sandbox).
# Retired units of earlier releases: the weekly dnf job (replaced by SSM Patch Manager).
for retired in gacha-bot-patch.timer gacha-bot-patch.service; do
  if [ -f "$UNITS_DIR/$retired" ]; then
    log "removing retired unit $retired"
    systemctl disable --now --quiet "$retired" 2>/dev/null || true
    rm -f "$UNITS_DIR/$retired"
    systemctl daemon-reload
  fi
done
rm -f "$SYSROOT/usr/local/sbin/gacha-bot-patch"
units_changed=()
for unit in @@SYSTEMD_UNITS@@; do
  if install_if_changed "$UNITS_SRC/$unit" "$UNITS_DIR/$unit"; then units_changed+=("$unit"); fi
done
if [ ${#units_changed[@]} -gt 0 ]; then
  log "units changed: ${units_changed[*]}"
  systemctl daemon-reload
fi

if [ "$local_db" = yes ]; then
  # MongoDB's data volume (its own retained EBS volume, DATA_VOLUME_ID in host.env), mounted at
  # mongod's dbPath before mongod ever starts: data written to the root disk first would be hidden
  # under the mount. Formatted only when blank (blkid finds nothing on it); a device that carries
  # anything else stops the set-up. Mounted by label through fstab (`nofail`: the instance still
  # boots without it, and mongod's RequiresMountsFor= keeps mongod down then); grown on every run,
  # so a volume resized in EC2 is used without a replacement.
  DATA_MOUNT="$SYSROOT@@MONGO_DB_PATH@@"
  [[ "${DATA_VOLUME_ID:-}" =~ ^vol-[0-9a-f]{8,17}$ ]] || die "host.env has no valid DATA_VOLUME_ID (got '${DATA_VOLUME_ID:-}')"
  if ! mountpoint -q "$DATA_MOUNT"; then
    by_id="$SYSROOT@@EBS_BY_ID_PREFIX@@${DATA_VOLUME_ID/-/}"
    device=""
    waited=0
    while :; do
      if [ -e "$by_id" ]; then
        device="$by_id"
      elif [ -e "$SYSROOT@@DATA_DEVICE_NAME@@" ]; then
        device="$SYSROOT@@DATA_DEVICE_NAME@@"
      fi
      [ -z "$device" ] || break
      [ "$waited" -lt "${DEVICE_WAIT_SECONDS:-300}" ] ||
        die "data volume $DATA_VOLUME_ID never appeared ($by_id, @@DATA_DEVICE_NAME@@) after ${waited}s: is it attached? mongod NOT started"
      sleep "${DEVICE_POLL_SECONDS:-2}"
      waited=$((waited + ${DEVICE_POLL_SECONDS:-2}))
    done
    # The directory under the mount point must be empty (the package creates it empty).
    if [ -n "$(ls -A "$DATA_MOUNT" 2>/dev/null)" ]; then
      die "$DATA_MOUNT on the root disk is not empty: mounting the data volume would hide it (move it onto the volume first)"
    fi
    probe_rc=0
    probe="$(blkid -p -o export "$device")" || probe_rc=$?
    if [ "$probe_rc" = 2 ]; then
      log "data volume $DATA_VOLUME_ID is blank: creating its @@DATA_FS_TYPE@@ filesystem"
      mkfs.@@DATA_FS_TYPE@@ -q -L @@DATA_FS_LABEL@@ "$device"
      udevadm settle --timeout=30 || true
    elif [ "$probe_rc" != 0 ]; then
      die "cannot probe $device (blkid exit $probe_rc): not formatting it"
    elif ! grep -qx 'TYPE=@@DATA_FS_TYPE@@' <<<"$probe" || ! grep -qx 'LABEL=@@DATA_FS_LABEL@@' <<<"$probe"; then
      die "$device already carries something other than a @@DATA_FS_TYPE@@ filesystem labelled @@DATA_FS_LABEL@@ ($(tr '\n' ' ' <<<"$probe")): not formatting, not mounting"
    fi
  fi
  fstab_line='LABEL=@@DATA_FS_LABEL@@ @@MONGO_DB_PATH@@ @@DATA_FS_TYPE@@ defaults,nofail,noatime 0 2'
  if ! grep -qxF "$fstab_line" "$SYSROOT/etc/fstab" 2>/dev/null; then
    touch "$SYSROOT/etc/fstab"
    awk '$2 != "@@MONGO_DB_PATH@@"' "$SYSROOT/etc/fstab" >"$SYSROOT/etc/fstab.gacha-new"
    echo "$fstab_line" >>"$SYSROOT/etc/fstab.gacha-new"
    mv "$SYSROOT/etc/fstab.gacha-new" "$SYSROOT/etc/fstab"
    systemctl daemon-reload
  fi
  install -d -m 0755 "$DATA_MOUNT"
  if ! mountpoint -q "$DATA_MOUNT"; then
    mount "$DATA_MOUNT" || die "cannot mount the data volume at @@MONGO_DB_PATH@@: mongod NOT started"
    log "data volume $DATA_VOLUME_ID mounted at @@MONGO_DB_PATH@@"
  fi
  mountpoint -q "$DATA_MOUNT" || die "@@MONGO_DB_PATH@@ is not a mount point: mongod NOT started"
  xfs_growfs -d "$DATA_MOUNT" >/dev/null || die "xfs_growfs on @@MONGO_DB_PATH@@ failed"
  chown mongod:mongod "$DATA_MOUNT"
  chmod 0750 "$DATA_MOUNT"
  ! command -v restorecon >/dev/null || restorecon -R "$DATA_MOUNT"

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
fi

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

if [ "$local_db" = yes ]; then
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
fi

# The bot's configuration: its unit, the host environment, the env script and the versions of the
# secrets it starts with. When that changes, the running slot must be replaced.
fingerprint="$(
  {
    cat "$UNITS_DIR/gacha-bot@.service" @@CONFIG_DIR@@/host.env "$SYSROOT/usr/local/sbin/gacha-bot-env"
    if [ "$local_db" = yes ]; then
      echo "token $(version @@SECRET_TOKEN@@) bot-password $(version @@SECRET_BOT@@)"
    else
      echo "token $(version @@SECRET_TOKEN@@) mongodb-uri $(version @@SECRET_MONGODB_URI@@)"
    fi
  } | sha256sum | cut -d' ' -f1
)"
if [ "$(cat "$STATE_DIR/bot-config.sha256" 2>/dev/null || true)" != "$fingerprint" ]; then
  log "bot configuration changed: restart pending (the release step switches slots)"
  echo "bot configuration changed" >@@ROOT@@/restart-pending
  echo "$fingerprint" >"$STATE_DIR/bot-config.sha256"
fi

# Logs rotated daily by the logrotate package's timer; backups daily (OS updates: Patch Manager).
# Hosts sharing an external database: only BACKUP_INSTANCE dumps it.
install -D -m 0644 @@CONFIG_DIR@@/logrotate.conf "$SYSROOT/etc/logrotate.d/gacha-bot"
if [ -z "${BACKUP_INSTANCE:-}" ] || [ "$(own_instance_id)" = "$BACKUP_INSTANCE" ]; then
  systemctl enable --now --quiet logrotate.timer gacha-bot-backup.timer
else
  log "the daily dump runs on $BACKUP_INSTANCE: backup timer off here"
  systemctl disable --now --quiet gacha-bot-backup.timer
  systemctl enable --now --quiet logrotate.timer
fi

# CloudWatch agent: configuration from its SSM parameter (metrics, log files, retention).
"$SYSROOT/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s \
  -c "ssm:${AGENT_CONFIG_PARAMETER}" >/dev/null
log "done"
