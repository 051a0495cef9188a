# Shared by the ops/ scripts: where the project and its git-ignored caches live.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
RDKAFKA_PREFIX="$CACHE/librdkafka"
TANSU_BIN="$CACHE/tansu/tansu"
# Deployment checkers, each in a folder named by its version (a new version installs beside the old).
TOOLS="$CACHE/tools"
COMPOSE_VERSION="2.40.3"
HADOLINT_VERSION="2.15.1"
COMPOSE_BIN="$TOOLS/compose-$COMPOSE_VERSION/docker-compose"
HADOLINT_BIN="$TOOLS/hadolint-$HADOLINT_VERSION/hadolint"
# promtool, to check the services' /metrics text: Debian bookworm's prometheus package.
PROMTOOL_VERSION="2.42.0"
PROMTOOL_BIN="$TOOLS/promtool-$PROMTOOL_VERSION/promtool"
RUN_DIR="$ROOT/run"
export PKG_CONFIG_PATH="$RDKAFKA_PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

log() { printf '%s %s\n' "[$(basename "$0")]" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# A free TCP port on loopback, chosen by the kernel.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
