#!/usr/bin/env bash
# Predict latency over HTTP with the watch on and off, in alternating rounds.
#
#   Tests/Scripts/watch_latency.sh HOME [ROUNDS] [SECONDS] [CONNECTIONS]
#
# HOME is a home with a trained model, e.g. after `grove demo --home HOME --quick`; it is
# copied twice and never written. Two release daemons serve the copies at the same time, one
# with the watch (the defaults) and one without (--watch-window 0). Each round runs wrk
# (one Fashion-MNIST test image per request as JSON, so the watch sees known domains) against
# both, the watched one first in every other round. Before an unwatched round the script waits
# until the watched daemon's tester has worked off its queue, so that no window test runs
# beside it. Prints each round's p50 and p99, then the median over rounds of the watched
# over the unwatched figure of the same round. Needs wrk and .build/release/grove.
set -euo pipefail
command -v wrk >/dev/null || { echo "watch_latency.sh: needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
home=$1
rounds=${2:-10}
seconds=${3:-5}
connections=${4:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
grove=$root/.build/release/grove
work=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT

python3 "$root/Tests/Scripts/fashion_bodies.py" "$work"
cat > "$work/predict.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
for line in io.lines("$work/json.txt") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = (i % #bodies) + 1
  return wrk.format(nil, "/v1/predict", nil, bodies[i])
end
LUA

declare -A port=([on]=7933 [off]=7934)
for mode in on off; do
  mkdir "$work/home-$mode"
  cp -r "$home"/. "$work/home-$mode"/
  rm -f "$work/home-$mode/daemon.lock"
  options=()
  [ "$mode" = off ] && options=(--watch-window 0)
  "$grove" daemon --home "$work/home-$mode" --listen "127.0.0.1:${port[$mode]}" "${options[@]}" >"$work/daemon-$mode.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${port[$mode]}/healthz" >/dev/null && break; sleep 0.2; done
  wrk -t1 -c"$connections" -d3s -s "$work/predict.lua" "http://127.0.0.1:${port[$mode]}" >/dev/null
done

waiting() { # full windows the watched daemon has yet to test
  curl -sf "http://127.0.0.1:${port[on]}/metrics" | awk '/^grove_drift_windows_waiting/ {sum += $2} END {print sum + 0}'
}
settle() { # waits until the watched daemon's tester has tested everything queued
  while [ "$(waiting)" != 0 ]; do sleep 0.2; done
}

: > "$work/results"
for round in $(seq 1 "$rounds"); do
  order=(on off)
  [ $((round % 2)) = 0 ] && order=(off on)
  for mode in "${order[@]}"; do
    [ "$mode" = off ] && settle
    out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$work/predict.lua" "http://127.0.0.1:${port[$mode]}")
    echo "$round $mode $(echo "$out" | awk '$1 == "50%" || $1 == "99%" {print $2}' | tr '\n' ' ')" | tee -a "$work/results"
  done
done

python3 - "$work/results" <<'PY'
import statistics, sys
def micros(text):
    for unit, scale in (("us", 1), ("ms", 1e3), ("s", 1e6)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * scale
    raise SystemExit("unexpected wrk figure " + text)
rounds = {}
for line in open(sys.argv[1]):
    number, mode, p50, p99 = line.split()
    rounds.setdefault(number, {})[mode] = (micros(p50), micros(p99))
pairs = [r for r in rounds.values() if len(r) == 2]
for index, name in ((0, "p50"), (1, "p99")):
    ratios = sorted(r["on"][index] / r["off"][index] for r in pairs)
    print("%s: watch on %.0f us, off %.0f us (medians); on/off per round: median %.3f, range %.3f-%.3f" % (
        name, statistics.median(r["on"][index] for r in pairs), statistics.median(r["off"][index] for r in pairs),
        statistics.median(ratios), ratios[0], ratios[-1]))
PY
