#!/usr/bin/env bash
# Runs Prometheus's promtool with the given arguments, e.g. `scripts/promtool.sh test rules FILE`.
# The alerting-rule tests need it. It is the promtool on the PATH, or else the one of Debian's
# `prometheus` package, downloaded once and unpacked into target/tools/prometheus: nothing is
# installed system-wide and no service starts. Fails loudly when it cannot get promtool.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v promtool >/dev/null 2>&1; then
  exec promtool "$@"
fi
tools="$root/target/tools/prometheus"
promtool="$tools/usr/bin/promtool"
if [ ! -x "$promtool" ]; then
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "promtool is not on the PATH and this machine has no apt-get/dpkg-deb to fetch Debian's prometheus package;" \
         "install Prometheus's promtool (https://prometheus.io/download/) and put it on the PATH" >&2
    exit 1
  fi
  mkdir -p "$tools"
  cd "$tools"
  # A fresh machine may have no package lists yet.
  apt-get download -q prometheus >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q prometheus >/dev/null; }
  dpkg-deb -x prometheus_*.deb .
  rm -f prometheus_*.deb
  cd - >/dev/null
fi
exec "$promtool" "$@"
