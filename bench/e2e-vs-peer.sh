#!/usr/bin/env bash
# End to end as a user runs it, next to the peer script, on the same files:
#
#   bench/e2e-vs-peer.sh [NxM ...]        (default: 100000x1000)
#   bench/e2e-vs-peer.sh 20000x200 100000x1000
#
# For each size N profiles x M offers: build release; `lotse generate
# --format csv` (seed $SEED, default 42); a fresh data folder with the
# bundled catalogue; `lotse import offers`, `lotse import profiles`,
# `lotse index`, `lotse batch --assign`; the peer
# (`python3 peer_batch.py profiles.csv offers.csv`) on the same files; and
# the shortlist of 20 through the real server, `GET
# /api/offers/{id}/shortlist?top=20` with HTTP Basic, warm (median of
# $REQUESTS requests, default 50, over the first ten offers in turn, after
# one round that is not counted). Prints a table of wall seconds and peak
# memory per step (`/usr/bin/time -f '%e %M'`, the largest single process;
# CPU seconds beside, user + system, the fairer figure on a busy machine)
# and the ratio peer / lotse for the batch.
#
# Environment: LOTSE (a lotse binary to use instead of building release), SEED, REQUESTS, WORK (the folder for the files, default a
# new temporary one, removed at the end unless KEEP=1), PEER (the peer
# script; default ../shared/bench/peer_batch.py beside the repository),
# LOTSE_BENCH_VENV (where rapidfuzz and numpy are installed with pip if
# python3 lacks them; default ~/.cache/lotse-bench-venv).
#
# Not part of `cargo test`. Absolute times vary on a shared machine: quote
# the ratio, run it twice, and name the machine with the figures.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seed=${SEED:-42}
requests=${REQUESTS:-50}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000x1000)
for size in "${sizes[@]}"; do
    [[ $size =~ ^[0-9]+x[0-9]+$ ]] || { echo "size must be NxM, e.g. 20000x200: $size" >&2; exit 2; }
done

peer=${PEER:-}
if [ -z "$peer" ]; then
    for candidate in "$repo/../shared/bench/peer_batch.py" "$repo/../../shared/bench/peer_batch.py"; do
        if [ -f "$candidate" ]; then peer=$candidate; break; fi
    done
fi
[ -n "$peer" ] && [ -f "$peer" ] || { echo "peer script not found; set PEER=path/to/peer_batch.py" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed: apt-get install time" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed: apt-get install curl" >&2; exit 2; }

# The peer's Python: python3 if it has rapidfuzz and numpy, else a venv.
python=python3
if ! python3 -c 'import rapidfuzz, numpy' 2>/dev/null; then
    venv=${LOTSE_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lotse-bench-venv}
    if ! "$venv/bin/python" -c 'import rapidfuzz, numpy' 2>/dev/null; then
        echo "installing rapidfuzz and numpy into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet rapidfuzz numpy
    fi
    python=$venv/bin/python
fi

if [ -n "${LOTSE:-}" ]; then
    lotse=$LOTSE
else
    echo "building release …" >&2
    (cd "$repo" && cargo build --release --quiet)
    lotse=$repo/target/release/lotse
fi

if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
    work=$WORK
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/lotse-e2e.XXXXXX")
fi
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ -z "${KEEP:-}" ] && [ -z "${WORK:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# timed NAME CMD…: runs CMD with its output in $dir/NAME.log and appends
# "NAME wall_seconds peak_kib user_seconds system_seconds" to $dir/times.
timed() {
    local name=$1; shift
    if ! /usr/bin/time -f '%e %M %U %S' -o "$dir/$name.time" "$@" >"$dir/$name.log" 2>&1; then
        echo "$name failed:" >&2; tail -20 "$dir/$name.log" >&2; exit 1
    fi
    echo "$name $(cat "$dir/$name.time")" >>"$dir/times"
}

for size in "${sizes[@]}"; do
    n=${size%x*}; m=${size#*x}
    dir=$work/$size
    rm -rf "$dir"; mkdir -p "$dir"
    : >"$dir/times"
    echo "== $n profiles x $m offers (seed $seed) in $dir" >&2
    timed generate-csv "$lotse" --data "$repo" generate --profiles "$n" --offers "$m" --seed "$seed" --format csv --out "$dir/csv"
    "$lotse" --data "$repo" generate --profiles 0 --offers 0 --out "$dir/data" >/dev/null
    data=$dir/data
    # The resolver's derived labels are cached per binary and catalogue
    # (~/.cache/lotse); built here once, so that no later step pays for it.
    timed resolver-cache "$lotse" --data "$data" resolve Koch
    timed import-offers "$lotse" --data "$data" import offers "$dir/csv/offers.csv"
    # Generated names repeat (a few dozen per origin), so the duplicate
    # check would hold back many rows; a real export would be checked.
    timed import-profiles "$lotse" --data "$data" import profiles "$dir/csv/profiles.csv" --allow-duplicates
    timed index "$lotse" --data "$data" index
    timed batch-assign "$lotse" --data "$data" batch --assign --out "$dir/assign.csv"
    timed peer "$python" "$peer" "$dir/csv/profiles.csv" "$dir/csv/offers.csv"

    # The server, with an account for HTTP Basic.
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" | "$lotse" --data "$data" user add bench --role advisor >/dev/null
    "$lotse" --data "$data" serve --addr 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
    server_pid=$!
    url=
    for _ in $(seq 1 600); do
        url=$(sed -n 's|^lotse läuft auf \(http://[^ ]*\)/ .*|\1|p' "$dir/serve.log")
        [ -n "$url" ] && break
        kill -0 "$server_pid" 2>/dev/null || { echo "server ended:" >&2; cat "$dir/serve.log" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$url" ] || { echo "server did not start within 60 s" >&2; exit 1; }
    offers=$(( m < 10 ? m : 10 ))
    urls=()
    for i in $(seq 1 "$offers"); do urls+=("$url/api/offers/$(printf 'GA-%06d' "$i")/shortlist?top=20"); done
    # One round not counted (the first request also checks the password),
    # then $requests requests on one keep-alive connection (curl's -o
    # applies to one URL, hence one per URL).
    warm=()
    for u in "${urls[@]}"; do warm+=(-o /dev/null "$u"); done
    curl -sf -u "bench:$password" "${warm[@]}"
    counted=()
    for i in $(seq 0 $((requests - 1))); do counted+=(-o /dev/null "${urls[i % offers]}"); done
    curl -sf -u "bench:$password" -w '%{time_total}\n' "${counted[@]}" >"$dir/shortlist.times"
    server_kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    median_ms=$(sort -g "$dir/shortlist.times" | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m * 1000}')

    peer_own=$(tail -1 "$dir/peer.log")
    places=$(awk -F';' 'NR > 1 {s += $8} END {print s}' "$dir/csv/offers.csv")
    allocated=$(($(wc -l <"$dir/assign.csv") - 1))
    echo
    echo "lotse end to end, $n profiles x $m offers ($places places), seed $seed, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-34s %10s %10s %12s\n' "step" "wall s" "cpu s" "peak MiB"
    while read -r name wall kib user sys; do
        case $name in
            generate-csv) label="lotse generate --format csv" ;;
            resolver-cache) label="resolver cache (once per binary)" ;;
            import-offers) label="lotse import offers" ;;
            import-profiles) label="lotse import profiles" ;;
            index) label="lotse index" ;;
            batch-assign) label="lotse batch --assign" ;;
            peer) label="peer (python3 peer_batch.py)" ;;
        esac
        printf '%-34s %10s %10.2f %12.0f\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$(awk -v k="$kib" 'BEGIN {print k / 1024}')"
    done <"$dir/times"
    printf '%-34s %10s %10s %12.0f\n' "shortlist via server, median" "${median_ms} ms" "" "$(awk -v k="$server_kib" 'BEGIN {print k / 1024}')"
    batch=$(awk '$1 == "batch-assign" {print $2}' "$dir/times")
    peer_wall=$(awk '$1 == "peer" {print $2}' "$dir/times")
    echo "batch: lotse allocated $allocated places (exact optimum); peer: ${peer_own} s by its own clock, $(sed -n 1p "$dir/peer.log")"
    cpu() { awk -v n="$1" '$1 == n {printf "%.2f", $4 + $5}' "$dir/times"; }
    echo "ratio peer / lotse batch --assign: wall $(awk -v p="$peer_wall" -v b="$batch" 'BEGIN {printf "%.2f", p / b}'), CPU $(awk -v p="$(cpu peer)" -v b="$(cpu batch-assign)" 'BEGIN {printf "%.2f", p / b}')"
done
