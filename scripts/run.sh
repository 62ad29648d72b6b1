#!/bin/sh
# Entry point for `npm start`, `npm test` and `npm run bench` on a fresh clone:
# makes sure Node >= 22.17 and the pinned pnpm are available (installing both
# into a per-user cache, never over the system's node), installs the workspace,
# then hands over to scripts/<task>.ts running on that Node.
set -eu
cd "$(dirname "$0")/.."
task=$1; shift
TOOLS=${ROSTER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roster/tools}
PNPM_VERSION=12.4.2

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=17)?0:1)' 2>/dev/null
}
if ! node_ok; then
  if [ ! -x "$TOOLS/node22/node_modules/.bin/node" ]; then
    echo "roster: Node >= 22.17 not found; installing node@22 into $TOOLS/node22" >&2
    mkdir -p "$TOOLS/node22"
    npm i --silent --no-audit --no-fund --prefix "$TOOLS/node22" node@22 >&2
  fi
  PATH="$TOOLS/node22/node_modules/.bin:$PATH"; export PATH
  node_ok || { echo "roster: could not provide Node >= 22.17" >&2; exit 1; }
fi

if [ "$(pnpm -v 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ] || [ "$("$TOOLS/pnpm/node_modules/.bin/pnpm" -v)" != "$PNPM_VERSION" ]; then
    echo "roster: installing pnpm@$PNPM_VERSION into $TOOLS/pnpm" >&2
    mkdir -p "$TOOLS/pnpm"
    printf '{"name":"roster-tools-pnpm","private":true,"allowScripts":{"pnpm":true}}\n' >"$TOOLS/pnpm/package.json"
    (cd "$TOOLS/pnpm" && npm i --silent --no-audit --no-fund "pnpm@$PNPM_VERSION" >&2)
  fi
  PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"; export PATH
fi

pnpm install --frozen-lockfile --reporter=silent >&2 || pnpm install --frozen-lockfile >&2
export TURBO_TELEMETRY_DISABLED=1 ROSTER_TOOLS_DIR="$TOOLS"
exec node "scripts/$task.ts" "$@"
