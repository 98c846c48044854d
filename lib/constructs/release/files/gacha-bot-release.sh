#!/bin/bash
# gacha-bot-release — install, activate and roll back bot releases on the instance.
#
#   gacha-bot-release install <s3-bucket> <s3-key> <release-id>   download, unpack, activate
#   gacha-bot-release activate <release-id>                        switch to an unpacked release
#   gacha-bot-release rollback [release-id]                        back to the previous (or given) one
#   gacha-bot-release restart                                      the active release again, blue/green
#   gacha-bot-release status                                       active slot, release, unit state, history
#   gacha-bot-release health                                       fails unless the active slot runs and is ready
#   gacha-bot-release drain                                        stop the bot for OS patching (SSM pre-install hook)
#   gacha-bot-release resume                                       after OS patching: mongod if needed, the bot blue/green
#
# The host set-up marks a restart as pending (@@ROOT@@/restart-pending) when the bot's unit, its
# environment or its secrets changed: the next install/activate then switches slots even when the
# release itself is unchanged. Commands that change the running bot hold @@ROOT@@/.release.lock,
# so a release and the OS patch hooks (drain/resume, run by SSM Patch Manager's
# AWS-RunPatchBaselineWithHooks) never interleave.
#
# Blue/green on one host: the idle slot starts on the new release and must report ready before the
# active slot is stopped (SIGTERM: it drains in-flight interactions). Interaction ids are idempotent
# in the store, so the brief overlap cannot charge a pull twice. MongoDB data is never touched.
set -euo pipefail
source @@CONFIG_DIR@@/host.env
RELEASES=@@RELEASES@@
SLOTS=@@SLOTS@@
STATE=@@ROOT@@/active-slot
HISTORY=@@ROOT@@/release-history
PENDING=@@ROOT@@/restart-pending
LOCK=@@ROOT@@/.release.lock
DRAINED=@@ROOT@@/drained-for-patching
KEEP=5
READY_TIMEOUT=${READY_TIMEOUT:-120}

log() { echo "gacha-bot-release: $*"; }
die() { echo "gacha-bot-release: $*" >&2; exit 1; }
valid_id() { [[ "$1" =~ ^[A-Za-z0-9._-]{1,100}$ ]] || die "invalid release id: $1"; }
port_of() { local v="HEALTH_PORT_${1^^}"; echo "${!v}"; }
active_slot() { [ -f "$STATE" ] && cat "$STATE" || true; }
other_slot() { [ "$1" = blue ] && echo green || echo blue; }
release_of() { [ -n "$1" ] && [ -L "$SLOTS/$1" ] && basename "$(readlink "$SLOTS/$1")" || true; }

lock() {
  exec 9>>"$LOCK"
  flock -w "${LOCK_TIMEOUT:-900}" 9 || die "another release or OS patch hook holds $LOCK"
}

ready() { curl -fsS --max-time 2 "http://127.0.0.1:$(port_of "$1")/readyz" >/dev/null 2>&1; }

wait_ready() {
  local slot=$1 deadline=$((SECONDS + READY_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    ready "$slot" && return 0
    systemctl is-failed --quiet "gacha-bot@$slot" && return 1
    sleep 2
  done
  return 1
}

activate() {
  local id=$1 current next
  valid_id "$id"
  [ -f "$RELEASES/$id/index.js" ] || die "release $id is not unpacked under $RELEASES"
  current="$(active_slot)"
  if [ -n "$current" ] && [ "$(release_of "$current")" = "$id" ] && systemctl is-active --quiet "gacha-bot@$current"; then
    if [ ! -f "$PENDING" ]; then
      log "release $id already active in slot $current"
      return 0
    fi
    log "release $id is active in slot $current; restarting it ($(cat "$PENDING"))"
  fi
  next="$(other_slot "${current:-green}")"
  ln -sfn "$RELEASES/$id" "$SLOTS/$next"
  systemctl reset-failed "gacha-bot@$next" 2>/dev/null || true
  systemctl restart "gacha-bot@$next"
  if ! wait_ready "$next"; then
    systemctl stop "gacha-bot@$next" || true
    journalctl -u "gacha-bot@$next" -n 30 --no-pager >&2 || true
    die "release $id did not become ready in slot $next; slot ${current:-none} keeps running"
  fi
  systemctl enable --quiet "gacha-bot@$next"
  echo "$next" >"$STATE.tmp" && mv -f "$STATE.tmp" "$STATE"
  ln -sfn "$RELEASES/$id" "$SLOTS/current"
  if [ -n "$current" ] && [ "$current" != "$next" ]; then
    systemctl disable --quiet "gacha-bot@$current" || true
    systemctl stop "gacha-bot@$current" || true
  fi
  if [ "$(tail -n 1 "$HISTORY" 2>/dev/null || true)" != "$id" ]; then echo "$id" >>"$HISTORY"; fi
  rm -f "$PENDING"
  log "release $id active in slot $next (was ${current:-none})"
}

prune() {
  local keep_ids
  keep_ids="$(tail -n "$KEEP" "$HISTORY" 2>/dev/null || true)"
  for dir in "$RELEASES"/*/; do
    [ -d "$dir" ] || continue
    local id
    id="$(basename "$dir")"
    grep -qx -- "$id" <<<"$keep_ids" || { [ "$(release_of blue)" = "$id" ] || [ "$(release_of green)" = "$id" ]; } || rm -rf -- "$dir"
  done
}

install_release() {
  local bucket=$1 key=$2 id=$3
  valid_id "$id"
  if [ ! -f "$RELEASES/$id/index.js" ]; then
    local tmp
    tmp="$(mktemp -d "$RELEASES/.incoming.XXXXXX")"
    aws s3 cp --only-show-errors --region "$AWS_REGION" "s3://$bucket/$key" "$tmp/release.zip"
    unzip -q "$tmp/release.zip" -d "$tmp/unpacked"
    [ -f "$tmp/unpacked/index.js" ] || die "archive s3://$bucket/$key holds no index.js"
    chmod -R go-w "$tmp/unpacked"
    mv "$tmp/unpacked" "$RELEASES/$id"
    rm -rf "$tmp"
  fi
  activate "$id"
  prune
}

rollback() {
  local target=${1:-} current
  current="$(release_of "$(active_slot)")"
  if [ -z "$target" ]; then
    target="$(grep -vx -- "$current" "$HISTORY" | tail -n 1 || true)"
    [ -n "$target" ] || die "no previous release to roll back to"
  fi
  log "rolling back from ${current:-none} to $target"
  activate "$target"
}

restart() {
  local id
  id="$(release_of "$(active_slot)")"
  [ -n "$id" ] || die "no active release to restart"
  [ -f "$PENDING" ] || echo "requested by hand" >"$PENDING"
  activate "$id"
}

unit_state() {
  local state=''
  [ -z "$1" ] || state="$(systemctl is-active "gacha-bot@$1" 2>/dev/null)" || true
  echo "${state:-inactive}"
}

status() {
  local slot
  slot="$(active_slot)"
  echo "active slot: ${slot:-none}"
  echo "active release: $(release_of "$slot")"
  echo "active slot unit: $(unit_state "$slot")"
  [ ! -f "$PENDING" ] || echo "restart pending: $(cat "$PENDING")"
  [ ! -f "$DRAINED" ] || echo "drained for OS patching: slot $(cat "$DRAINED")"
  echo "history (oldest first):"
  sed 's/^/  /' "$HISTORY" 2>/dev/null || true
}

health() {
  local slot
  slot="$(active_slot)"
  [ -n "$slot" ] || die "no active slot"
  systemctl is-active --quiet "gacha-bot@$slot" || die "the active slot gacha-bot@$slot is not running"
  curl -fsS --max-time 5 "http://127.0.0.1:$(port_of "$slot")/readyz"
  echo
}

# Before Patch Manager installs OS updates: the active slot is stopped (SIGTERM: it drains its
# in-flight interactions) so no package replaces files under a running bot; mongod keeps running.
drain() {
  local slot
  slot="$(active_slot)"
  if [ -z "$slot" ]; then
    log "no active slot: nothing to drain"
    return 0
  fi
  echo "$slot" >"$DRAINED"
  if systemctl is-active --quiet "gacha-bot@$slot"; then
    log "draining gacha-bot@$slot before OS patching"
    systemctl stop "gacha-bot@$slot"
  fi
  log "bot drained (slot $slot); resume starts it again"
}

# After the updates (and after the reboot, when one was needed): mongod is restarted when it runs
# replaced files, then the bot comes back blue/green (the idle slot starts and must report ready).
# Idempotent: nothing happens when the bot runs, is ready and runs no replaced files.
resume() {
  local slot id services
  services="$(dnf needs-restarting -s 2>/dev/null || true)"
  if grep -qx 'mongod.service' <<<"$services"; then
    log "restarting mongod (it runs replaced files)"
    systemctl restart mongod
  fi
  slot="$(active_slot)"
  id="$(release_of "$slot")"
  if [ -z "$id" ]; then
    rm -f "$DRAINED"
    log "no release installed: nothing to resume"
    return 0
  fi
  if [ ! -f "$DRAINED" ] && systemctl is-active --quiet "gacha-bot@$slot" && ready "$slot" &&
    ! grep -q '^gacha-bot@' <<<"$services"; then
    log "release $id runs in slot $slot and is ready: nothing to resume"
    return 0
  fi
  [ -f "$PENDING" ] || echo "OS patching" >"$PENDING"
  activate "$id"
  rm -f "$DRAINED"
}

case "${1:-}" in
  install) [ $# -eq 4 ] || die "usage: install <bucket> <key> <release-id>"; lock; install_release "$2" "$3" "$4" ;;
  activate) [ $# -eq 2 ] || die "usage: activate <release-id>"; lock; activate "$2" ;;
  rollback) lock; rollback "${2:-}" ;;
  restart) lock; restart ;;
  status) status ;;
  health) health ;;
  drain) lock; drain ;;
  resume) lock; resume ;;
  *) die "usage: gacha-bot-release install|activate|rollback|restart|status|health|drain|resume" ;;
esac
