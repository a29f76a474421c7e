#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb in BUILD_DIR and checks it: the desktop file and AppStream metadata validate,
# the man page and the bash completion know every option of every command, lintian finds no
# error or warning (an override must give its reason), the package declares its Qt/QCoro
# runtime, and the vigil inside it runs. Under CI (CI=true, as
# root) it is also installed for real, run, and removed again.
set -euo pipefail
build=${1:?usage: check-package.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

desktop-file-validate "$here/dev.vigil.Vigil.desktop"
appstreamcli validate --no-net "$here/dev.vigil.Vigil.metainfo.xml" >/dev/null

# vigil(1) and the bash completion must list every option the binary's own help lists.
man_page="$here/../docs/man/vigil.1"
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$man_page" 2>&1 >/dev/null)
[ -z "$warnings" ] || { echo "vigil.1 has roff warnings: $warnings" >&2; exit 1; }
for command in fetch download serve-demo bench record journal; do
    for option in $("$build/app/vigil" "$command" --help | grep -oE '^  (-[a-zA-Z], )?--?[a-z][a-z0-9-]*' | grep -oE -- '--?[a-z][a-z0-9-]*$'); do
        case $option in --help | --help-all) continue ;; esac
        grep -qF -- "${option//-/\\-}" "$man_page" || { echo "vigil.1 lacks $command $option" >&2; exit 1; }
        grep -qE -- "(^|[ \"])$option( |\"|$)" "$here/vigil.bash-completion" || { echo "the bash completion lacks $command $option" >&2; exit 1; }
    done
done
# An override without a comment line above it saying why is not allowed.
overrides="$here/vigil.lintian-overrides"
if [ -f "$overrides" ]; then
    awk '!/^#/ && NF && prev !~ /^#/ {print "lintian override without a reason: " $0; bad = 1} {prev = $0} END {exit bad}' "$overrides" >&2
fi

cd "$build"
rm -f vigil_*.deb
cpack -G DEB >/dev/null
deb=$(ls vigil_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
# Every shared library the binary needs must come from a package it depends on. (QCoro and
# QtConcurrent are used header-only here, so the binary does not need them at run time.)
for needed in $(readelf -d app/vigil | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # No early exit in awk: under pipefail a SIGPIPE to ldconfig would end this script.
    path=$(ldconfig -p | awk -v lib="$needed" '!found && $1 == lib {print $NF; found = 1}')
    # Merged /usr: dpkg may know the file under /lib or under /usr/lib.
    owner=$( { dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null; } | awk -F: 'NR == 1 {print $1}')
    [ -n "$owner" ] || { echo "no package owns $needed" >&2; exit 1; }
    grep -q "$owner" <<<"$depends" || { echo "the package needs $needed from $owner, which Depends lacks: $depends" >&2; exit 1; }
done
for plugin in qt6-qpa-plugins libqt6svg6; do # loaded at run time, so named by hand
    grep -q "$plugin" <<<"$depends" || { echo "the package does not depend on $plugin" >&2; exit 1; }
done
# Errors and warnings fail; info and pedantic tags are advice.
lintian --fail-on error,warning --tag-display-limit 0 "$deb" >&2 || { echo "lintian rejects $deb" >&2; exit 1; }
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/vigil ./usr/share/applications/dev.vigil.Vigil.desktop \
            ./usr/share/metainfo/dev.vigil.Vigil.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/dev.vigil.Vigil.svg \
            ./usr/share/man/man1/vigil.1.gz ./usr/share/bash-completion/completions/vigil \
            ./usr/share/doc/vigil/copyright ./usr/share/doc/vigil/changelog.gz; do
    grep -q " $path\$" <<<"$contents" || { echo "the package lacks $path" >&2; exit 1; }
done
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
version=$("$unpacked/usr/bin/vigil" --version)
[ "$version" = "vigil $(dpkg-deb -f "$deb" Version)" ] || { echo "unexpected version: $version" >&2; exit 1; }

if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
    installed=$(vigil --version)
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vigil >/dev/null
    [ "$installed" = "$version" ] || { echo "installed vigil says: $installed" >&2; exit 1; }
    echo "installed $deb, ran '$installed', removed it"
fi
echo "package ok: $deb ($version)"
