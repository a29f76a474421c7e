#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The README's example blocks marked `<!-- example: PATH -->` must be the files they name, so the
# tested files and what readers copy never drift apart.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
status=0
count=0
while IFS= read -r path; do
    count=$((count + 1))
    block="$(awk -v marker="<!-- example: $path -->" '
        $0 == marker {found = 1; next}
        found && /^```/ && !open {open = 1; next}
        found && open && /^```$/ {exit}
        found && open {print}' "$root/README.md")"
    if [ "$block" != "$(cat "$root/$path")" ]; then
        echo "README.md: the block for $path is not the file" >&2
        diff <(echo "$block") "$root/$path" >&2 || true
        status=1
    fi
done < <(grep -o '<!-- example: [^ ]* -->' "$root/README.md" | sed 's/<!-- example: \(.*\) -->/\1/')
[ "$count" -gt 0 ] || { echo "README.md: no example blocks found" >&2; exit 1; }
echo "readme_examples: $count block(s) match their files"
exit $status
