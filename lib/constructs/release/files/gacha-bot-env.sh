#!/bin/bash
# ExecStartPre (as root, "+" prefix) of gacha-bot@<slot> and gacha-bot-backup: reads the secrets
# from SSM Parameter Store and writes a root-only environment file under @@RUNTIME_DIR@@ (tmpfs),
# which systemd reads just before starting the process. Secrets never touch the disk or argv.
set -euo pipefail
source @@CONFIG_DIR@@/host.env
role="$1" # blue | green | backup
secret() {
  aws ssm get-parameter --region "$AWS_REGION" --with-decryption --name "${SSM_PREFIX}$1" \
    --query Parameter.Value --output text
}
urlencode() { node-22 -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(encodeURIComponent(s.replace(/\n$/,""))))'; }
install -d -m 0700 -o root -g root @@RUNTIME_DIR@@
umask 077
out="@@RUNTIME_DIR@@/${role}.env"
tmp="$(mktemp @@RUNTIME_DIR@@/.env.XXXXXX)"
case "$role" in
  blue | green)
    port_var="HEALTH_PORT_${role^^}"
    {
      echo "DISCORD_TOKEN=$(secret @@SECRET_TOKEN@@)"
      echo "MONGODB_URI=mongodb://@@DB_BOT_USER@@:$(secret @@SECRET_BOT@@ | urlencode)@@@DB_HOST@@:@@DB_PORT@@/@@DB_NAME@@?authSource=@@DB_NAME@@"
      echo "HEALTH_PORT=${!port_var}"
    } >"$tmp"
    ;;
  backup)
    echo "MONGODB_URI=mongodb://@@DB_BACKUP_USER@@:$(secret @@SECRET_BACKUP@@ | urlencode)@@@DB_HOST@@:@@DB_PORT@@/@@DB_NAME@@?authSource=@@DB_NAME@@" >"$tmp"
    ;;
  *)
    echo "gacha-bot-env: unknown role $role" >&2
    exit 2
    ;;
esac
mv -f "$tmp" "$out"
