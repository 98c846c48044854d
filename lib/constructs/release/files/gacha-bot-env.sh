#!/bin/bash
# ExecStartPre (as root, "+" prefix) of gacha-bot@<slot> and gacha-bot-backup: reads the secrets
# from SSM Parameter Store and writes a root-only environment file under @@RUNTIME_DIR@@ (tmpfs),
# which systemd reads just before starting the process. Secrets never touch the disk or argv.
# Any failed or empty read fails the unit's start loudly (the journal names the parameter, never
# its value): the bot never starts with an empty token or a URI without a password.
set -euo pipefail
source @@CONFIG_DIR@@/host.env
role="${1:-}" # blue | green | backup
fail() {
  echo "gacha-bot-env: $*" >&2
  exit 1
}
secret() {
  local value
  value="$(aws ssm get-parameter --region "$AWS_REGION" --with-decryption --name "${SSM_PREFIX}$1" \
    --query Parameter.Value --output text)" || fail "cannot read ${SSM_PREFIX}$1 from SSM (see the error above)"
  [ -n "$value" ] && [ "$value" != None ] || fail "${SSM_PREFIX}$1 is empty in SSM (npm run secrets:put)"
  printf '%s' "$value"
}
# Through stdin: a password never appears on a command line (argv is world-readable in /proc).
urlencode() {
  printf '%s' "$1" | node-22 -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(encodeURIComponent(s)))'
}
case "$role" in
  blue | green | backup) ;;
  *) fail "unknown role '$role'" ;;
esac
# The growth path (host.env): an external database's URI comes whole from SSM (Atlas or a replica
# set, credentials included), and with SHARD_RANGES this host's shard ids are the range listed
# for its instance id.
case "${DATABASE_MODE:-local}" in
  local | external) ;;
  *) fail "host.env: DATABASE_MODE must be local or external (got '${DATABASE_MODE}')" ;;
esac
own_shards() {
  local token id entry
  token="$(curl -sS -f -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)" ||
    fail "cannot read an IMDSv2 token"
  id="$(curl -sS -f -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)" ||
    fail "cannot read the instance id from IMDS"
  for entry in ${SHARD_RANGES//,/ }; do
    if [ "${entry%%:*}" = "$id" ]; then
      printf '%s' "${entry#*:}"
      return 0
    fi
  done
  fail "SHARD_RANGES lists no shards for this instance ($id)"
}
install -d -m 0700 -o root -g root @@RUNTIME_DIR@@
umask 077
out="@@RUNTIME_DIR@@/${role}.env"
rm -f "$out" # never leave an older file for systemd to read if this start fails
tmp="$(mktemp @@RUNTIME_DIR@@/.env.XXXXXX)"
trap 'rm -f "$tmp"' EXIT
case "$role" in
  blue | green)
    port_var="HEALTH_PORT_${role^^}"
    token="$(secret @@SECRET_TOKEN@@)"
    shards=""
    [ -z "${SHARD_RANGES:-}" ] || shards="$(own_shards)"
    if [ "${DATABASE_MODE:-local}" = external ]; then
      uri="$(secret @@SECRET_MONGODB_URI@@)"
    else
      password="$(secret @@SECRET_BOT@@)"
      encoded="$(urlencode "$password")"
      uri="mongodb://@@DB_BOT_USER@@:$encoded@@@DB_HOST@@:@@DB_PORT@@/@@DB_NAME@@?authSource=@@DB_NAME@@"
    fi
    # The seed sealing key goes to the bot only: the backup copies sealed seeds and never opens one.
    seed_key="$(secret @@SECRET_SEED_KEY@@)"
    {
      echo "DISCORD_TOKEN=$token"
      echo "GACHA_FAIRNESS_SEED_KEY=$seed_key"
      echo "MONGODB_URI=$uri"
      echo "HEALTH_PORT=${!port_var}"
      [ -z "$shards" ] || echo "SHARD_IDS=$shards"
    } >"$tmp"
    ;;
  backup)
    # The same logical dump against whichever database the bot uses.
    if [ "${DATABASE_MODE:-local}" = external ]; then
      uri="$(secret @@SECRET_MONGODB_URI@@)"
    else
      password="$(secret @@SECRET_BACKUP@@)"
      encoded="$(urlencode "$password")"
      uri="mongodb://@@DB_BACKUP_USER@@:$encoded@@@DB_HOST@@:@@DB_PORT@@/@@DB_NAME@@?authSource=@@DB_NAME@@"
    fi
    echo "MONGODB_URI=$uri" >"$tmp"
    ;;
esac
mv -f "$tmp" "$out"
trap - EXIT
