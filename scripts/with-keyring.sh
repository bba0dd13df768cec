#!/usr/bin/env bash
# Run a command against a real Secret Service: a private D-Bus session with an unlocked gnome-keyring,
# a scratch HOME and XDG_RUNTIME_DIR, stopped by its PID afterwards (it can outlive the session otherwise).
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [[ -z "${QQSEC_KEYRING_SESSION:-}" ]]; then
  command -v dbus-run-session >/dev/null || { echo "with-keyring: dbus-run-session is missing (Debian package dbus)" >&2; exit 2; }
  command -v gnome-keyring-daemon >/dev/null || { echo "with-keyring: gnome-keyring-daemon is missing (Debian package gnome-keyring)" >&2; exit 2; }
  exec dbus-run-session -- env QQSEC_KEYRING_SESSION=1 "$0" "$@"
fi
scratch=$(mktemp -d /tmp/qqsec-keyring.XXXXXX)
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run" XDG_DATA_HOME="$scratch/home/.local/share"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# The keyring password comes on stdin; --unlock creates the login keyring with it and unlocks it.
eval "$(printf '%s' 'qqsec-test-keyring' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
daemon_pid=${GNOME_KEYRING_PID:-$(pgrep -n -u "$(id -u)" gnome-keyring-d || true)}
cleanup() { [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q 'boolean true' \
  || { echo "with-keyring: the Secret Service did not appear on the bus" >&2; exit 2; }
export QQSEC_KEYCHAIN_TEST=1
set +e
"$@"
rc=$?
exit $rc
