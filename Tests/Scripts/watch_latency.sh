#!/usr/bin/env bash
# Predict latency over HTTP with the watch on and off, alternating, on the same home.
#
#   Tests/Scripts/watch_latency.sh HOME [ROUNDS]     (HOME: e.g. after `grove demo --home HOME --quick`)
#
# Each request is one Fashion-MNIST test image as JSON, cycling through 2 000 of them, so the
# watch sees traffic of known domains. Needs wrk and the release build (.build/release/grove).
set -euo pipefail
home=$1
rounds=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
grove=$root/.build/release/grove
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/bodies.txt" <<'PY'
import gzip, struct, sys
data = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()
assert struct.unpack(">I", data[:4])[0] == 2051
with open(sys.argv[1], "w") as out:
    for i in range(2000):
        row = data[16 + i * 784:16 + (i + 1) * 784]
        out.write('{"x":[[' + ",".join(map(str, row)) + "]]}\n")
PY
cat > "$work/predict.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
for line in io.lines("$work/bodies.txt") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = (i % #bodies) + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
LUA

for round in $(seq 1 "$rounds"); do
  for mode in on off; do
    options=()
    [ "$mode" = off ] && options=(--watch-window 0)
    "$grove" daemon --home "$home" --listen 127.0.0.1:7931 "${options[@]}" >"$work/daemon.log" 2>&1 &
    daemon=$!
    for _ in $(seq 1 50); do curl -sf http://127.0.0.1:7931/healthz >/dev/null && break; sleep 0.2; done
    wrk -t1 -c1 -d5s -s "$work/predict.lua" http://127.0.0.1:7931/v1/predict >/dev/null
    echo "round $round, watch $mode:"
    wrk -t1 -c1 -d20s --latency -s "$work/predict.lua" http://127.0.0.1:7931/v1/predict | grep -E " 50%| 99%|Requests/sec"
    kill "$daemon"
    wait "$daemon" 2>/dev/null || true
  done
done
