#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real (runs before `npm test`).
# chromium: the browser tests (playwright-core drives Debian's build; no browser download).
# Without root or apt-get it only says what is missing: those tests then report that they skipped.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n"; }
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "Installing Debian packages for the tests: ${missing[*]}"
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
    echo "Could not install ${missing[*]}; the tests that need them will be skipped." >&2
    exit 0
  fi
fi
echo "Not installed: ${missing[*]} (install with: sudo apt-get install ${missing[*]}). The tests that need them will be skipped." >&2
exit 0
