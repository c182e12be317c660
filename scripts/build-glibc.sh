#!/usr/bin/env bash
# Builds the linux-x64-gnu binary as it is published: release, linked by zig (cargo-zigbuild)
# against glibc 2.17 so that it loads on old distributions (RHEL 7/8, Debian 10/11, Ubuntu
# 20.04, Amazon Linux 2), stripped, checked by check-glibc.sh, then put in its platform
# package npm/linux-x64-gnu/, ready for `npm pack` (the release workflow's `napi artifacts`
# does this step for all targets at once; it refuses to run with only one built).
# Its own target dir (target/zig), so it never invalidates the host build in target/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/zig-tools.sh

FLOOR=2.17
TARGET=x86_64-unknown-linux-gnu
out="artifacts/bindings-${TARGET}"
binary="${out}/mobilemoney-native.linux-x64-gnu.node"

npx napi build --platform --release --cross-compile --target "${TARGET}.${FLOOR}" \
  --target-dir target/zig --output-dir "$out" --js binding.js --dts binding.d.ts
strip --strip-unneeded "$binary"
bash scripts/check-glibc.sh "$binary" "$FLOOR"
cp "$binary" npm/linux-x64-gnu/
ls -l npm/linux-x64-gnu/
