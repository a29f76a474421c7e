#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Puts "// SPDX-License-Identifier: Apache-2.0" on the first line of every tracked C++ file that
# lacks one (all of Vigil's code is its own: nothing is vendored). --check only lists them and
# exits 1 when there are any. Run it on a clean tree after merging: it touches every file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tag='SPDX-License-Identifier: Apache-2.0'
missing=()
while IFS= read -r -d '' file; do
    head -n 3 "$file" | grep -q 'SPDX-License-Identifier:' || missing+=("$file")
done < <(git ls-files -z -- '*.cpp' '*.h')
if [ "${1:-}" = "--check" ]; then
    [ ${#missing[@]} -eq 0 ] && exit 0
    printf 'no SPDX line: %s\n' "${missing[@]}" >&2
    exit 1
fi
for file in "${missing[@]}"; do
    { printf '// %s\n' "$tag"; cat "$file"; } >"$file.spdx" && mv "$file.spdx" "$file"
done
echo "added the SPDX line to ${#missing[@]} file(s)"
