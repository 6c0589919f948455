#!/bin/sh
# Installs the Debian packages the tests use: xmllint (libxml2-utils)
# validates the published Atom feed against RFC 4287's grammar.
set -eu
pkgs="libxml2-utils"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
	echo "install-test-deps: need root (or sudo) to install: $pkgs" >&2; exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-test-deps: no apt-get here; install xmllint ($pkgs) by hand" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
