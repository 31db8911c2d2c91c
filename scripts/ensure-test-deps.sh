#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real (runs before `npm test`).
# chromium: the browser tests (playwright-core drives Debian's build; no browser download).
# prometheus-alertmanager: the Alertmanager sender tests and benchmarks run the real binary
#   (/usr/bin/prometheus-alertmanager) on a port of their own; they never use the system service,
#   so the service the package sets up is stopped and disabled again when this script installs it.
# Without root or apt-get it only says what is missing: those tests then report that they skipped.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
[ ${#missing[@]} -eq 0 ] && exit 0

# The Debian package enables and starts a service on :9093 where services may start (systemd).
# Nothing in the tests needs it, so a service that this run installed is not left running.
stop_alertmanager_service() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $sudo systemctl disable --now prometheus-alertmanager.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus-alertmanager ]; then
    $sudo /etc/init.d/prometheus-alertmanager stop >/dev/null 2>&1 || true
  fi
}

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n"; }
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "Installing Debian packages for the tests: ${missing[*]}"
    # chromium keeps its recommends (fonts, sandbox); the Alertmanager needs none of its own.
    plain=() bare=()
    for p in "${missing[@]}"; do
      if [ "$p" = prometheus-alertmanager ]; then bare+=("$p"); else plain+=("$p"); fi
    done
    if $sudo apt-get update -qq >/dev/null \
      && { [ ${#plain[@]} -eq 0 ] || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${plain[@]}" >/dev/null; } \
      && { [ ${#bare[@]} -eq 0 ] || { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${bare[@]}" >/dev/null && stop_alertmanager_service; }; }; then
      exit 0
    fi
    echo "Could not install ${missing[*]}; the tests that need them will be skipped." >&2
    exit 0
  fi
fi
echo "Not installed: ${missing[*]} (install with: sudo apt-get install ${missing[*]}). The tests that need them will be skipped." >&2
exit 0
