#!/bin/sh
# Installs the Debian packages the tests use, only those missing:
# xmllint (libxml2-utils) validates the published Atom feed against RFC
# 4287's grammar; chromium runs the browser test of the web page.
set -eu
pkgs=""
command -v xmllint >/dev/null 2>&1 || pkgs="$pkgs libxml2-utils"
command -v chromium >/dev/null 2>&1 || pkgs="$pkgs chromium"
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
	echo "install-test-deps: need root (or sudo) to install:$pkgs" >&2; exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-test-deps: no apt-get here; install by hand:$pkgs" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
