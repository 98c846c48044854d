#!/bin/bash
# Idempotent host configuration, run as root by the release document on every release (State
# Manager), never by user data alone: swap, packages, MongoDB (loopback, auth, capped cache),
# the bot's system user and directories, database users. Safe to re-run; touches no data.
set -euo pipefail
source @@CONFIG_DIR@@/host.env

log() { echo "host-setup: $*"; }

# 1 GiB swap: mongod and Node share 1 GiB of RAM; swap absorbs short peaks instead of the OOM killer.
if ! swapon --show=NAME --noheadings | grep -qx /swapfile; then
  if [ ! -f /swapfile ]; then
    dd if=/dev/zero of=/swapfile bs=1M count=1024 status=none
    chmod 600 /swapfile
    mkswap /swapfile >/dev/null
  fi
  swapon /swapfile
fi
grep -q '^/swapfile ' /etc/fstab || echo '/swapfile none swap defaults 0 0' >>/etc/fstab
sysctl -q -w vm.swappiness=10
echo 'vm.swappiness=10' >/etc/sysctl.d/90-gacha-bot.conf

# Packages: Node.js 22 from Amazon Linux, MongoDB 8.0 from MongoDB's official AL2023 repository.
cat >/etc/yum.repos.d/mongodb-org-8.0.repo <<'REPO'
[mongodb-org-8.0]
name=MongoDB Repository
baseurl=https://repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/x86_64/
gpgcheck=1
enabled=1
gpgkey=https://pgp.mongodb.com/server-8.0.asc
REPO
need=()
for pkg in nodejs22 mongodb-org-server mongodb-mongosh-shared-openssl3 mongodb-database-tools \
  amazon-cloudwatch-agent unzip logrotate; do
  rpm -q "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  dnf install -y -q "${need[@]}"
fi

# MongoDB: loopback only, authentication on, WiredTiger cache capped (journaling is always on).
install -m 0644 -o root -g root @@CONFIG_DIR@@/mongod.conf /etc/mongod.conf
systemctl enable --now mongod >/dev/null
systemctl is-active --quiet mongod || systemctl restart mongod
for _ in $(seq 1 60); do
  mongosh --quiet --host @@DB_HOST@@ --port @@DB_PORT@@ --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1 && break
  sleep 1
done

# Bot user and directories.
getent group gacha-bot >/dev/null || groupadd --system gacha-bot
id gacha-bot >/dev/null 2>&1 || useradd --system --gid gacha-bot --home-dir @@ROOT@@ --shell /sbin/nologin gacha-bot
install -d -m 0755 -o root -g root @@ROOT@@ @@RELEASES@@ @@SLOTS@@
install -d -m 0750 -o gacha-bot -g gacha-bot @@LOG_DIR@@
install -d -m 0700 -o gacha-bot -g gacha-bot @@BACKUP_STATE_DIR@@

# Database users from SSM (admin via the localhost exception on first run, then bot and backup).
secret() {
  aws ssm get-parameter --region "$AWS_REGION" --with-decryption --name "${SSM_PREFIX}$1" \
    --query Parameter.Value --output text
}
MONGO_ADMIN_PASSWORD="$(secret @@SECRET_ADMIN@@)" \
  MONGO_BOT_PASSWORD="$(secret @@SECRET_BOT@@)" \
  MONGO_BACKUP_PASSWORD="$(secret @@SECRET_BACKUP@@)" \
  mongosh --quiet --nodb --file @@CONFIG_DIR@@/ensure-users.js

install -m 0644 @@CONFIG_DIR@@/logrotate.conf /etc/logrotate.d/gacha-bot
for unit in gacha-bot@.service gacha-bot-backup.service gacha-bot-backup.timer; do
  install -m 0644 @@CONFIG_DIR@@/"$unit" /etc/systemd/system/"$unit"
done
systemctl daemon-reload
systemctl enable --now gacha-bot-backup.timer >/dev/null

# CloudWatch agent: configuration from its SSM parameter (metrics, log files, retention).
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c "ssm:${AGENT_CONFIG_PARAMETER}" >/dev/null
log "done"
