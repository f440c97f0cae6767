#!/usr/bin/env python3
"""Fills a running daemon's model with many domains and many finished jobs, for measuring the
read routes on a large store:

    Tests/Scripts/fill_store.py PORT [DOMAINS] [FAILED_JOBS]

Each domain is a small 4-feature CSV whose two classes sit far from every other domain's, so
each phase adds a domain; each failed job is a distinct CSV whose second row has a cell that is
not a number. Waits until the queue is empty."""
import json, sys, time, urllib.request

port = int(sys.argv[1])
domains = int(sys.argv[2]) if len(sys.argv) > 2 else 100
failed = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
base = "http://127.0.0.1:%d" % port

def call(method, path, body=None, content_type="application/json"):
    request = urllib.request.Request(base + path, data=body, method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"null")

def submit(name, text):
    upload = call("POST", "/v1/files?name=" + name, text.encode(), "application/octet-stream")
    spec = {"model": "big", "spec": {"source": {"format": "csv", "path": upload["path"]}}}
    return call("POST", "/v1/jobs", json.dumps(spec).encode())

for d in range(domains):
    lines = ["f0,f1,f2,f3,label"]
    for r in range(200):
        c = r % 2
        centre = 40.0 * d + 8.0 * c
        lines.append(",".join("%.3f" % (centre + ((r * 7919 + f * 104729) % 1000) / 1000.0) for f in range(4)) + ",c%d" % c)
    submit("domain-%d.csv" % d, "\n".join(lines) + "\n")
for j in range(failed):
    submit("bad-%d.csv" % j, "f0,f1,f2,f3,label\n1,2,3,4,a\n%d,oops,3,4,b\n" % j)
while True:
    status = call("GET", "/v1/models/big")
    if status["jobs"].get("queued", 0) == 0 and status["running"] is None:
        break
    time.sleep(1)
print(json.dumps({"domains": status["domains"], "jobs": status["jobs"], "version": status["version"]}))
