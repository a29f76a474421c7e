#!/usr/bin/env bash
# Set up, build and launch Vigil. Arguments go to the vigil binary: ./run.sh --help
set -euo pipefail
VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/packages.sh
source "$VIGIL_ROOT/scripts/packages.sh"

vigil_install_packages
(cd "$VIGIL_ROOT" && vigil_build release build)
exec "$VIGIL_ROOT/build/app/vigil" "$@"
