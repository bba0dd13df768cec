#!/usr/bin/env bash
# `npm test`: installs what the tests need where it can, then type-check, lint, build, unit and integration
# tests (inside a real Secret Service session, so the keychain tests run for real), and end-to-end tests in
# Debian's Chromium. Ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: command → package.
declare -A NEED=(
  [chromium]=chromium [dbus-run-session]=dbus [dbus-send]=dbus [gnome-keyring-daemon]=gnome-keyring
  [secret-tool]=libsecret-tools [age]=age [sqlite3]=sqlite3 [rsyslogd]=rsyslog [fail2ban-regex]=fail2ban
  [pdftoppm]=poppler-utils
)
missing=()
for cmd in "${!NEED[@]}"; do PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}"); done
# rsyslog's RELP input module comes in its own package
compgen -G '/usr/lib/*/rsyslog/imrelp.so' >/dev/null || missing+=(rsyslog-relp)
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "npm test: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "npm test: missing Debian packages: ${missing[*]} — install them (sudo apt-get install ${missing[*]}) and run again." >&2
    exit 2
  fi
fi
[[ -d node_modules ]] || npm ci --no-audit --no-fund

mkdir -p reports test-results
step() { echo; echo "── $* ──"; }
step "type-check (node and web projects, Electron main against electron.d.ts)"
npm run -s typecheck
step "lint (ESLint with layer rules, Prettier)"
npm run -s lint
step "build (electron-vite: main, preload, renderer)"
npm run -s build >reports/build.log 2>&1 || { cat reports/build.log; exit 1; }
echo "built out/main, out/preload, out/renderer"
step "unit and integration tests (keychain tests against gnome-keyring on a private D-Bus)"
vitest_rc=0
scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || vitest_rc=$?
step "end-to-end tests (browser mode in Chromium; the Electron spec skips where Electron cannot start)"
e2e_rc=0
PLAYWRIGHT_JSON_OUTPUT_NAME=reports/playwright.json npx playwright test --reporter=list,json || e2e_rc=$?
node scripts/test-summary.mjs reports/vitest.json reports/playwright.json
exit $(( vitest_rc || e2e_rc ))
