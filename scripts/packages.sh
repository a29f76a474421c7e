# Sourced by run.sh and test.sh: installs whatever packaging/debian-packages.txt lists and this
# machine lacks. A machine that has them all does no apt work at all.

vigil_missing_packages() {
    local pkg
    while read -r pkg; do
        [ -z "$pkg" ] && continue
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$VIGIL_ROOT/packaging/debian-packages.txt")
}

vigil_install_packages() {
    local missing
    missing=$(vigil_missing_packages | tr '\n' ' ')
    [ -z "${missing// /}" ] && return 0
    echo "vigil: installing missing Debian packages: $missing" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        else
            echo "vigil: these packages are missing and I am not root (and there is no sudo):" >&2
            echo "  apt-get install $missing" >&2
            return 1
        fi
    fi
    $sudo apt-get update -qq >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
}

# Configures (once) and builds a CMake preset; progress goes to stderr so stdout stays the
# program's own. Every step's status is checked by hand: callers may run this where `set -e`
# is suspended (inside `cmd || …`), and a failed build must never look like success.
vigil_build() {
    local preset=$1 dir=$2
    if [ ! -f "$VIGIL_ROOT/$dir/build.ninja" ]; then
        cmake --preset "$preset" -S "$VIGIL_ROOT" >&2 || return 1
    fi
    cmake --build --preset "$preset" >&2 || return 1
}
