"""The watch on prediction inputs measured through a running daemon (issue: drift watch).

Usage, with a release build:
    grove demo --quick --home /tmp/watch-home          # a model of the five split Fashion-MNIST domains
    grove daemon --home /tmp/watch-home --listen 127.0.0.1:7892 &
    python3 Tests/Scripts/drift_experiment.py 7892

It sends one Fashion-MNIST test image per request: 20 000 upright images (known domains), then
2 000 rotated by 90 degrees, 1 024 upright ones (which re-arm the alarm), then 2 000 of a 50/50
mix, and prints the windows below the level, the rows until each drift event, and the novelty
scores' quartiles and ROC area (rotated against upright).
"""
import http.client, json, sys, time, gzip, struct, subprocess
port = int(sys.argv[1])
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    data = f.read()
rows = [list(data[16 + i*784: 16 + (i+1)*784]) for i in range(10000)]
def rot(r):  # 90 degrees
    return [r[(27 - c) * 28 + rr] for rr in range(28) for c in range(28)]
conn = http.client.HTTPConnection('127.0.0.1', port)
def call(row):
    conn.request('POST', '/v1/predict', json.dumps({"x": [row]}), {'Content-Type': 'application/json'})
    return json.loads(conn.getresponse().read())
def drift():
    conn.request('GET', '/v1/drift?windows=10000'); return json.loads(conn.getresponse().read())
while 'novelty' not in call(rows[0])['predictions'][0]: time.sleep(0.05)
base = len(drift()['windows'])
def phase(name, gen, n):
    nov = []
    events0 = len(drift()['events'])
    first = None
    for i in range(n):
        a = call(gen(i)); nov.append(a['predictions'][0]['novelty'])
        if first is None and (i + 1) % 256 == 0:
            time.sleep(0.3)
            if len(drift()['events']) > events0: first = i + 1
    time.sleep(1.0)
    d = drift()
    if first is None and len(d['events']) > events0: first = n
    return nov, first, len(d['events']) - events0
known_nov, f, e = phase('known', lambda i: rows[i % 10000], 20000)
d = drift(); w = d['windows'][:len(d['windows']) - base]
print(f"known: 20000 rows, {len(w)} windows, {sum(1 for x in w if not x['fits'])} below alpha, {e} events, min p {min(x['p_value'] for x in w):.3f}")
rot_nov, f, e = phase('rotated', lambda i: rot(rows[i]), 2000)
print(f"rotated: event after {f} rows, {e} events")
_, f2, e2 = phase('rearm', lambda i: rows[5000 + i], 1024)
print(f"known again: {e2} events")
mix_nov, f, e = phase('mix', lambda i: rows[7000 + i] if i % 2 == 0 else rot(rows[2000 + i]), 2000)
print(f"50/50 mix: event after {f} rows, {e} events")
# AUC known vs rotated novelty
pos, neg = rot_nov, known_nov[:4000]
pooled = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
rank_sum = 0.0; i = 0
while i < len(pooled):
    j = i
    while j + 1 < len(pooled) and pooled[j+1][0] == pooled[i][0]: j += 1
    r = (i + j) / 2 + 1
    rank_sum += r * sum(1 for k in range(i, j+1) if pooled[k][1] == 1); i = j + 1
auc = (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
q = lambda s: "/".join(f"{sorted(s)[int((len(s)-1)*p)]:.2f}" for p in (0.25, 0.5, 0.75, 0.95))
print(f"novelty quartiles 25/50/75/95: known {q(known_nov)}, rotated {q(rot_nov)}; ROC AUC {auc:.3f}")
