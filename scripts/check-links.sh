#!/usr/bin/env bash
# Checks that every relative link in README.md and docs/*.md resolves to a file or directory
# inside the repository (anchors are not checked), so the docs work in a fresh clone. Exits 1
# listing every broken link.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
status=0
for f in README.md docs/*.md; do
  dir=$(dirname "$f")
  # Markdown links: ](target) or ](target "title"); skip absolute URLs and pure anchors.
  while IFS= read -r link; do
    target=${link%%#*}
    [ -z "$target" ] && continue
    case "$target" in http://*|https://*|mailto:*) continue ;; esac
    resolved=$(realpath -m "$dir/$target")
    case "$resolved" in
      "$top"/*) ;;
      *) echo "$f: link to '$link' leaves the repository"; status=1; continue ;;
    esac
    if [ ! -e "$resolved" ]; then
      echo "$f: link to '$link' does not exist"
      status=1
    fi
  done < <(grep -o '](\([^) ]*\)' "$f" | sed 's/^](//')
done
exit $status
