# lib.sh: sourced by the integration tests. BB is the binary (set by CTest), T a fresh temporary
# directory (removed at exit), fail/pass/skip report; skip exits 77, which CTest shows as skipped.
set -u
BB=${BB:?BB must name the birebir binary}
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $(basename "$0")"; exit 0; }
skip() { echo "SKIPPED: $*"; exit 77; }
