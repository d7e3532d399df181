#!/usr/bin/env bash
# Run the README's two commands on every Python the package claims, one version at a time.
#
# Usage: scripts/check_pythons.sh [VERSION ...]        (default: 3.10 3.11 3.12 3.13)
#
# For each version it clones the committed HEAD of this checkout into a fresh temporary folder
# (so uncommitted edits are not tested, and nothing of this checkout's .venv leaks in), puts
# that version's interpreter first on PATH as `python3`, and runs the two commands of the
# README's first bash block exactly as written: the main job, then the test suite. Each command
# gets TIMEOUT seconds (default 1800: the resolver hang of issue 12 shows as a timeout, not as
# a wait without end). It needs PyPI, like the README's commands themselves.
#
# Interpreters are found as `pythonX.Y` on PATH or under ~/.pyenv/versions/X.Y*/. Logs go to
# $LOGS (default: a temporary folder, printed at the end); the line per version is
#   3.10  main: ok 95 s  tests: ok 410 s  tracked files changed: 0
# and the script exits 1 if any command failed, or left a tracked file changed, on any version.
set -uo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.10 3.11 3.12 3.13)
timeout_s="${TIMEOUT:-1800}"
logs="${LOGS:-$(mktemp -d -t belnews-pythons-XXXXXX)}"
mkdir -p "$logs"

find_python() {
    local v="$1" candidate
    if candidate="$(command -v "python$v")" && "$candidate" -c '' 2>/dev/null; then
        echo "$candidate"
        return
    fi
    for candidate in "$HOME"/.pyenv/versions/"$v".*/bin/"python$v"; do
        [ -x "$candidate" ] && echo "$candidate" && return
    done
    return 1
}

# The README's first bash block, without its comment lines: the two commands.
mapfile -t commands < <(awk '/^```bash/{inside=1; next} /^```/{if (inside) exit} inside && !/^#/ && NF' "$repo/README.md")
if [ ${#commands[@]} -ne 2 ]; then
    echo "expected two commands in the README's first bash block, found ${#commands[@]}" >&2
    exit 2
fi

status=0
summary=()
for v in "${versions[@]}"; do
    if ! python="$(find_python "$v")"; then
        summary+=("$v  not installed")
        status=1
        continue
    fi
    work="$(mktemp -d -t "belnews-py$v-XXXXXX")"
    git clone -q "$repo" "$work/belnews"
    mkdir -p "$work/bin"
    ln -s "$python" "$work/bin/python3"
    line="$v"
    for i in 0 1; do
        name=$([ "$i" = 0 ] && echo main || echo tests)
        start=$(date +%s)
        (cd "$work/belnews" && PATH="$work/bin:$PATH" timeout "$timeout_s" bash -c "${commands[$i]}") \
            >"$logs/$v-$name.log" 2>&1
        rc=$?
        seconds=$(($(date +%s) - start))
        if [ $rc -eq 0 ]; then
            line+="  $name: ok ${seconds} s"
        elif [ $rc -eq 124 ]; then
            line+="  $name: TIMEOUT after ${seconds} s"
            status=1
        else
            line+="  $name: FAILED (exit $rc) ${seconds} s"
            status=1
        fi
    done
    dirty=$(git -C "$work/belnews" status --porcelain --untracked-files=no | wc -l)
    line+="  tracked files changed: $dirty"
    [ "$dirty" = 0 ] || status=1
    echo "$line" | tee -a "$logs/summary.txt"
    summary+=("$line")
    rm -rf "$work"
done
echo
printf '%s\n' "${summary[@]}"
echo "logs: $logs"
exit $status
