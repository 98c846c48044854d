#!/bin/bash
# gacha-bot-patch — run weekly by gacha-bot-patch.timer (or by hand): applies the security
# advisories of the newest Amazon Linux 2023 release (its repositories are versioned, so a plain
# `dnf upgrade` on the release the AMI was locked to never sees new fixes), then
#   - reboots when `dnf needs-restarting -r` says so (kernel, glibc, systemd…): the bot slot is
#     stopped first (SIGTERM: it drains its in-flight interactions) and mongod shut down cleanly;
#     both are enabled, so they come back after the boot;
#   - otherwise restarts mongod when it runs replaced files, and the bot blue/green
#     (`gacha-bot-release restart`: the new slot is ready before the old one stops).
# Holds the release lock while it updates, so a deploy and a patch run never interleave.
set -euo pipefail
ROOT=@@ROOT@@
SBIN=@@SYSROOT@@/usr/local/sbin
log() { echo "gacha-bot-patch: $*"; }

exec 9>>"$ROOT/.release.lock"
flock -w "${LOCK_TIMEOUT:-1800}" 9 || { log "a release holds $ROOT/.release.lock; try again later" >&2; exit 1; }

installed() { rpm -qa --qf '%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\n' | sort; }
before="$(installed)"
dnf upgrade -y -q --refresh --security --releasever=latest
after="$(installed)"
if [ "$before" = "$after" ]; then
  log "no security update to apply"
  exit 0
fi
log "updated: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"

rc=0
reboot_check="$(dnf needs-restarting -r 2>&1)" || rc=$?
if [ "$rc" -eq 1 ]; then
  slot="$(cat "$ROOT/active-slot" 2>/dev/null || true)"
  log "reboot required (${reboot_check//$'\n'/ }); draining gacha-bot@${slot:-none} first"
  [ -z "$slot" ] || systemctl stop "gacha-bot@$slot"
  systemctl stop mongod
  systemctl reboot
  exit 0
elif [ "$rc" -ne 0 ]; then
  log "dnf needs-restarting -r failed ($rc): $reboot_check" >&2
  exit 1
fi

services="$(dnf needs-restarting -s 2>/dev/null || true)"
if grep -qx 'mongod.service' <<<"$services"; then
  log "restarting mongod (it runs replaced files)"
  systemctl restart mongod
fi
if grep -q '^gacha-bot@' <<<"$services"; then
  log "restarting the bot blue/green (it runs replaced files)"
  exec 9>&- # gacha-bot-release takes the lock itself
  echo "security updates" >"$ROOT/restart-pending"
  "$SBIN/gacha-bot-release" restart
fi
log "done"
