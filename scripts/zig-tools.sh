#!/usr/bin/env bash
# Sourced by the packaging scripts: makes sure the tools for the glibc-floor build are
# installed (zig from the ziglang PyPI package, cargo-zigbuild from PyPI too, binutils for
# objdump/strip), idempotently and in about a second when they already are.
ZIGLANG_VERSION=0.17.1
CARGO_ZIGBUILD_VERSION=0.24.1

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  "ziglang==${ZIGLANG_VERSION}" "cargo-zigbuild==${CARGO_ZIGBUILD_VERSION}"
# pip puts cargo-zigbuild in the interpreter's scripts folder, which may not be on PATH.
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):${PATH}"
export PATH

if ! command -v objdump >/dev/null || ! command -v strip >/dev/null; then
  apt-get update -qq && apt-get install -y -qq binutils >/dev/null
fi
