#!/usr/bin/env bash
# Serving figures over HTTP with wrk, on a release daemon over an existing home:
#
#   Tests/Scripts/predict_load.sh HOME [SECONDS] [PORT]   (HOME: e.g. after `grove demo --home HOME --quick`)
#
# One Fashion-MNIST test image per request (cycling through 2 000 of them) as JSON, as NPY and
# as raw float32, at 1 and 16 connections; 256 images per request as NPY at 16 connections;
# /healthz and /v1/status at 1 connection. Prints wrk's p50, p99 and requests per second for
# each. Needs wrk and the release build (.build/release/grove). Extra daemon options can be
# passed in GROVE_DAEMON_OPTIONS.
set -euo pipefail
command -v wrk >/dev/null || { echo "predict_load.sh: needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
home=$1
seconds=${2:-10}
port=${3:-7932}
root=$(cd "$(dirname "$0")/../.." && pwd)
grove=$root/.build/release/grove
work=$(mktemp -d)
url=http://127.0.0.1:$port
daemon=
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT

python3 "$root/Tests/Scripts/fashion_bodies.py" "$work"

lua_bodies() { # name content-type file-prefix count [path-suffix]
  cat > "$work/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "$2"
local bodies = {}
for i = 0, $4 - 1 do
  local f = io.open("$work/$3-" .. i, "rb"); bodies[#bodies + 1] = f:read("*a"); f:close()
end
local i = 0
request = function()
  i = (i % #bodies) + 1
  return wrk.format(nil, "/v1/predict${5:-}", nil, bodies[i])
end
LUA
}
cat > "$work/json.lua" <<LUA
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
lua_bodies npy application/x-npy npy 200
lua_bodies raw application/octet-stream raw 200 "?rows=1"
lua_bodies batch application/x-npy batch 8

"$grove" daemon --home "$home" --listen 127.0.0.1:$port ${GROVE_DAEMON_OPTIONS:-} >"$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 1 100); do curl -sf $url/healthz >/dev/null && break; sleep 0.2; done

run() { # label connections [wrk args...]
  local label=$1 connections=$2
  shift 2
  wrk -t1 -c"$connections" -d2s "$@" >/dev/null
  local out
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@")
  printf "%-32s p50 %9s  p99 %9s  %10s req/s  %s\n" "$label" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr -s ' ' | tr '\n' ' ')"
}
run "GET /healthz, 1 conn" 1 $url/healthz
run "GET /v1/status, 1 conn" 1 $url/v1/status
run "predict JSON, 1 conn" 1 -s "$work/json.lua" $url
run "predict NPY, 1 conn" 1 -s "$work/npy.lua" $url
run "predict float32, 1 conn" 1 -s "$work/raw.lua" $url
run "predict JSON, 16 conn" 16 -s "$work/json.lua" $url
run "predict NPY, 16 conn" 16 -s "$work/npy.lua" $url
run "predict NPY 256 rows, 1 conn" 1 -s "$work/batch.lua" $url
run "predict NPY 256 rows, 16 conn" 16 -s "$work/batch.lua" $url
echo "(256-row requests: rows/s = 256 × req/s)"
grep -E '"level":"(error|warning)"|error' "$work/daemon.log" | head -5 || true
