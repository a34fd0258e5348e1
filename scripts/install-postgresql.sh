#!/usr/bin/env bash
# Makes sure a PostgreSQL server is installed for the archive test (ArchiveIT), which starts a cluster of
# its own. Debian's package; nothing to do when one is there. The build runs this before the integration
# tests (pom.xml, pre-integration-test), so `mvn -B -ntp verify` works on a fresh machine.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
  echo "no PostgreSQL server: install Debian's postgresql package (apt-get install postgresql), then build again" >&2
  exit 1
fi
echo "installing Debian's postgresql package for the archive test"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q > /dev/null
apt-get install -y -q --no-install-recommends postgresql > /dev/null
