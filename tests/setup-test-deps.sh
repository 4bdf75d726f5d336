#!/usr/bin/env bash
# What the tests need beyond Python packages, installed if missing (called by `make test`):
# Debian's chromium (the HTML report is tested in a real browser, tests/test_html.py) and
# Debian's postgresql (the register's tests start a server of their own, tests/pg.py).
# Needs root and apt-get; without them, says what is missing (the tests then skip, or
# fail where EVALUATOR_REQUIRE_POSTGRES=1 asks for the server).
set -uo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} (Debian packages) for the tests" >&2
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        # Debian starts a cluster of its own on install; the tests start theirs.
        if command -v pg_ctlcluster >/dev/null 2>&1; then
            for cluster in /etc/postgresql/*/main; do
                [ -d "$cluster" ] || continue
                version=$(basename "$(dirname "$cluster")")
                pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
            done
        fi
        exit 0
    fi
    echo "setup: could not install ${missing[*]}" >&2
else
    echo "setup: ${missing[*]} not installed and cannot be (not root, or no apt-get)" >&2
fi
exit 0
