#!/usr/bin/env bash
# The published form, tested as a user gets it: `npm pack` the root and the linux-x64-gnu
# package, install both into an empty directory outside the clone with scripts ignored and
# no cargo/rustc on PATH, then require and import the package and pay on its embedded
# sandbox. Negative case: the root alone gives the loader's one-sentence error.
# Needs binding.js (any build) and npm/linux-x64-gnu/*.node (scripts/build-glibc.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
platform_pkg=npm/linux-x64-gnu
[ -f binding.js ] || { echo "packed-install: binding.js missing: run npm install (or npm run build) first" >&2; exit 1; }
ls "$platform_pkg"/*.node >/dev/null 2>&1 || bash scripts/build-glibc.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/mobilemoney-packed.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/packs" "$work/stage"
passed=0
pass() { passed=$((passed + 1)); echo "packed-install: ok - $1"; }

# --ignore-scripts: `prepare` would build again; the binaries are already built.
root_tgz="$(npm pack --ignore-scripts --silent --pack-destination "$work/stage" | tail -n 1)"
# What `napi pre-publish` does to the root at release time: optionalDependencies on every
# napi.targets platform package at exactly the root's version.
tar -xzf "$work/stage/$root_tgz" -C "$work/stage"
node -e '
  const fs = require("fs"), file = process.argv[1]
  require("@napi-rs/cli").readNapiConfig(file).then(({ packageJson: pkg, targets, packageName }) => {
    const ids = targets.map((t) => `${packageName}-${t.platformArchABI}`)
    pkg.optionalDependencies = Object.fromEntries(ids.map((id) => [id, pkg.version]))
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n")
  })' "$work/stage/package/package.json"
root_tgz="$(cd "$work/stage/package" && npm pack --ignore-scripts --silent --pack-destination "$work/packs" | tail -n 1)"
platform_tgz="$(npm pack "./$platform_pkg" --ignore-scripts --silent --pack-destination "$work/packs" | tail -n 1)"
root_tgz="$work/packs/$root_tgz"
platform_tgz="$work/packs/$platform_tgz"
if tar -tzf "$root_tgz" | grep -q '\.node$'; then
  echo "packed-install: the root tarball must not contain a binary" >&2; exit 1
fi
pass "root tarball has no binary"
echo "packed-install: $(basename "$root_tgz") $(stat -c %s "$root_tgz") bytes, $(basename "$platform_tgz") $(stat -c %s "$platform_tgz") bytes"

# A PATH without Rust: drop every directory that holds cargo or rustc.
no_rust_path="$(tr ':' '\n' <<<"$PATH" | while read -r dir; do
  [ -n "$dir" ] && [ ! -e "$dir/cargo" ] && [ ! -e "$dir/rustc" ] && echo "$dir"; done | paste -sd: -)"
in_app() { (cd "$1" && shift && env PATH="$no_rust_path" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent "$@"); }
in_app "$work" bash -c '! command -v cargo && ! command -v rustc' >/dev/null
pass "no cargo or rustc on PATH"

# The first install may ask the registry for commander and for the optional platform
# packages (those not published yet are skipped, as npm skips any optional package it
# cannot get); the second one runs offline, from what the first left in npm's cache.
install() { in_app "$1" npm install --ignore-scripts --no-audit --no-fund --loglevel=error "${@:2}"; }

app="$work/app"
mkdir -p "$app" && echo '{ "name": "packed-app", "version": "1.0.0", "private": true }' >"$app/package.json"
start=$(date +%s%N)
install "$app" --prefer-offline "$root_tgz" "$platform_tgz"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "packed-install: installed both tarballs in ${elapsed_ms} ms"
node -e '
  const pkg = require(process.argv[1]), scripts = pkg.scripts || {}
  const hooks = ["preinstall", "install", "postinstall"].filter((name) => scripts[name])
  if (hooks.length) throw new Error(`install scripts in the published root: ${hooks}`)
  if ((pkg.dependencies || {})["@napi-rs/cli"]) throw new Error("@napi-rs/cli is a runtime dependency")' \
  "$app/node_modules/mobilemoney-native/package.json"
[ ! -e "$app/node_modules/@napi-rs/cli" ]
pass "no install script, no build tool installed"
# bullmq and ioredis are optional peers, for `options.queue` only: a plain install has neither.
[ ! -e "$app/node_modules/bullmq" ] && [ ! -e "$app/node_modules/ioredis" ] && [ -e "$app/node_modules/commander" ]
pass "no queue packages installed (optional peers), the CLI's are"
cp scripts/packed-smoke.cjs scripts/packed-smoke.mjs "$app/"
in_app "$app" node packed-smoke.cjs
pass "require: one transfer and one cash-in on the embedded sandbox"
in_app "$app" node packed-smoke.mjs
pass "import: one transfer and one cash-in on the embedded sandbox"

bare="$work/bare"
mkdir -p "$bare" && echo '{ "name": "packed-bare", "version": "1.0.0", "private": true }' >"$bare/package.json"
install "$bare" --offline --omit=optional "$root_tgz"
for how in "require('mobilemoney-native')" "import('mobilemoney-native')"; do
  if out="$(in_app "$bare" node -e "Promise.resolve().then(() => $how).then(() => process.exit(3), (e) => { console.log(e.message); process.exit(1) })" 2>&1)"; then
    echo "packed-install: $how loaded without its platform package" >&2; exit 1
  fi
  echo "packed-install: $how -> $out"
  grep -q "no prebuilt binary for linux-x64-gnu is installed" <<<"$out"
  grep -q 'build it from source: npx --yes -p @napi-rs/cli@3 napi build --platform --release' <<<"$out"
  [ "$(wc -l <<<"$out")" -eq 1 ]
  pass "$how without the platform package: the one-sentence error"
done
echo "packed-install: $passed passed, 0 failed"
