#!/usr/bin/env bash
# Runs a command under a fresh, unlocked Secret Service (GNOME Keyring on a private D-Bus session
# bus), so keychain tests never touch the user's real keyring and work on headless CI.
#
#   bash scripts/withKeychain.sh npx vitest run --project keychain
#
# Needs dbus-run-session and dbus-send (Debian/Ubuntu package dbus) and gnome-keyring-daemon
# (package gnome-keyring):  apt-get install -y dbus gnome-keyring
# Exits with the command's exit code; 3 when a tool is missing or the keyring does not start,
# 2 without a command. The keyring lives in a temp XDG_DATA_HOME with a throwaway password;
# the daemon is stopped and the temp folder deleted at the end. HOME is left alone so npm/npx
# keep their cache and config. SERVICE_CREATOR_KEYCHAIN_TEST=1 tells tests they are inside.
set -u

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/withKeychain.sh <command> [args...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "withKeychain: $tool not found; install it (apt-get install -y dbus gnome-keyring)" >&2
    exit 3
  fi
done

tmp_root="$(mktemp -d "${TMPDIR:-/tmp}/sc-keychain-XXXXXX")" || exit 1
cleanup() { rm -rf "$tmp_root"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp_root/data" "$tmp_root/runtime" "$tmp_root/config"
chmod 700 "$tmp_root/runtime"

export XDG_DATA_HOME="$tmp_root/data"
export XDG_RUNTIME_DIR="$tmp_root/runtime"
export XDG_CONFIG_HOME="$tmp_root/config"
export SERVICE_CREATOR_KEYCHAIN_TEST=1
# The Secret Service must come from the private bus below, never from the caller's session.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# Inside the private bus: start gnome-keyring-daemon in the foreground (so its pid is known and it
# is stopped when the command ends, however fast that is), unlocking -- and creating -- the login
# keyring with the password on stdin; wait until it owns org.freedesktop.secrets; run the command.
# The bus and the daemon run without DISPLAY/WAYLAND_DISPLAY so an unlock prompt can never pop up
# on a developer's desktop (a locked keyring then fails fast); the command gets them back.
env -u DISPLAY -u WAYLAND_DISPLAY \
  SC_KEYCHAIN_DISPLAY="${DISPLAY-}" SC_KEYCHAIN_WAYLAND_DISPLAY="${WAYLAND_DISPLAY-}" \
  dbus-run-session -- sh -c '
  log="$XDG_RUNTIME_DIR/gnome-keyring.log"
  printf pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>"$log" &
  keyring_pid=$!
  trap "kill $keyring_pid 2>/dev/null; wait $keyring_pid 2>/dev/null" EXIT
  trap "exit 130" INT
  trap "exit 143" TERM
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$keyring_pid" 2>/dev/null; then
      echo "withKeychain: gnome-keyring-daemon did not start a Secret Service:" >&2
      cat "$log" >&2
      exit 3
    fi
    sleep 0.1
  done
  if [ -n "$SC_KEYCHAIN_DISPLAY" ]; then export DISPLAY="$SC_KEYCHAIN_DISPLAY"; fi
  if [ -n "$SC_KEYCHAIN_WAYLAND_DISPLAY" ]; then export WAYLAND_DISPLAY="$SC_KEYCHAIN_WAYLAND_DISPLAY"; fi
  unset SC_KEYCHAIN_DISPLAY SC_KEYCHAIN_WAYLAND_DISPLAY
  "$@"
' withKeychain "$@"
