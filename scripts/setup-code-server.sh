#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3's server and workbench; the newest that runs on Node 20) into the
# git-ignored .tools/code-server/, for the workbench end-to-end tests. Works offline with only the npm registry and
# Debian's packages (../shared/TESTING.md §4). Idempotent: does nothing when the right version is already there.
#
# Two traps handled here:
# - code-server pins @vscode/ripgrep@1.15.11, whose postinstall downloads `rg` from GitHub. We put a real `rg`
#   (from the npm package @vscode/ripgrep-linux-x64@1.18.0) into the cache that postinstall looks in first.
# - node-pty's postinstall calls `npx`, which aborts on its "ok to proceed?" prompt without npm_config_yes=true.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.tools/code-server"
BIN="$DEST/node_modules/.bin/code-server"

installed_version() {
  node -e "process.stdout.write(require('$DEST/node_modules/code-server/package.json').version)" 2>/dev/null || true
}

if [[ -x "$BIN" && "$(installed_version)" == "$VERSION" ]]; then
  echo "code-server $VERSION already installed in .tools/code-server"
  exit 0
fi

# Native build needs (node-pty, kerberos). Install only what is missing, and only when we can.
missing=()
for p in libkrb5-dev build-essential pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export TMPDIR="$WORK"   # @vscode/ripgrep looks for its cache in $TMPDIR/vscode-ripgrep-cache-<version>

echo "placing rg from @vscode/ripgrep-linux-x64@1.18.0 into the ripgrep cache"
(cd "$WORK" && npm pack --silent @vscode/ripgrep-linux-x64@1.18.0 >/dev/null && tar xzf vscode-ripgrep-linux-x64-1.18.0.tgz)
mkdir -p "$WORK/vscode-ripgrep-cache-1.15.11"
tar czf "$WORK/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$WORK/package/bin" rg

echo "installing code-server@$VERSION into .tools/code-server (about a minute)"
rm -rf "$DEST"
mkdir -p "$DEST"
echo '{ "name": "code-server-tool", "private": true }' >"$DEST/package.json"
(cd "$DEST" && npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION")

if [[ "$(installed_version)" != "$VERSION" || ! -x "$BIN" ]]; then
  echo "code-server install failed: $BIN missing" >&2
  exit 1
fi
echo "code-server $VERSION installed: $BIN"
