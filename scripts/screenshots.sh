#!/usr/bin/env bash
# Regenerates the README screenshots: runs Vigil in a real window under Xvfb and grabs it.
# Usage: scripts/screenshots.sh [seconds-to-let-it-run]
set -euo pipefail
VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=packages.sh
source "$VIGIL_ROOT/scripts/packages.sh"
cd "$VIGIL_ROOT"
vigil_install_packages
vigil_build release build

settle=${1:-6}
out=docs/screenshots
mkdir -p "$out"

shoot() {
    local name=$1
    shift
    xvfb-run -a -s '-screen 0 1600x1000x24' bash -c '
        "$@" & app=$!
        sleep "$SETTLE"
        import -window root "$SHOT"
        kill "$app"; wait "$app" 2>/dev/null || true
    ' _ "$@"
    # Without a window manager the window sits at the origin on a black root: trim the rest.
    convert "$SHOT" -trim +repage "$SHOT"
    echo "wrote $SHOT" >&2
}

# A private settings folder, so the screenshots always show the default dashboard.
export XDG_CONFIG_HOME=$(mktemp -d)
export SETTLE=$settle SHOT="$out/main-window.png"
shoot main ./build/app/vigil
export SETTLE=12 SHOT="$out/dashboard-sensors.png"
shoot sensors ./build/app/vigil --demo sensors
export SETTLE=4 SHOT="$out/downloads.png"
shoot downloads ./build/app/vigil --demo downloads
# Mid-batch: 221 look-ups at concurrency 8 take about 9 s; grab it after 4.
export SETTLE=4 SHOT="$out/batch-fetch.png"
shoot batch ./build/app/vigil --demo batch-fetch
