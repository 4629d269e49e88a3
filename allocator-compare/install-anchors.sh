#!/bin/sh
# Installs the native anchors the benchmarks compare against: jemalloc and mimalloc (Debian packages).
# Idempotent: installs only what is missing. Run as root (or through sudo) on Debian/Ubuntu.
# Without a library the benchmarks still run; the anchor's methods fail at setup with a clear message.
set -u

missing=""
have_lib() {
    ldconfig -p 2>/dev/null | grep -q "$1"
}
have_lib libjemalloc.so.2 || missing="$missing libjemalloc2"
have_lib libmimalloc.so.2 || missing="$missing libmimalloc2.0"

if [ -z "$missing" ]; then
    echo "install-anchors: libjemalloc.so.2 and libmimalloc.so.2 are already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-anchors: MISSING:$missing (not root and no sudo; install them by hand)" >&2
        exit 1
    fi
fi

echo "install-anchors: installing$missing"
$SUDO apt-get update -q >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null

status=0
for lib in libjemalloc.so.2 libmimalloc.so.2; do
    if have_lib "$lib"; then
        echo "install-anchors: $lib present"
    else
        echo "install-anchors: MISSING: $lib could not be installed; its anchor benchmarks will fail" >&2
        status=1
    fi
done
exit $status
