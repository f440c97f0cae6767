"""The watch on prediction inputs measured through a running daemon (issue: drift watch).

Usage, with a release build:
    grove demo --quick --home /tmp/watch-home          # a model of the five split Fashion-MNIST domains
    grove daemon --home /tmp/watch-home --listen 127.0.0.1:7892 &
    python3 Tests/Scripts/drift_experiment.py 7892 .build/release/grove

It sends one Fashion-MNIST test image per request: 20 000 upright images (known domains), then
2 000 rotated by 90 degrees, 1 024 upright ones (which re-arm the alarm), then 2 000 of a 50/50
mix, and prints the windows below the level, the rows until each drift event, and the novelty
scores' quartiles and ROC area (rotated against upright). Then it labels the rotated event's
candidate rows (exported with `GET /v1/drift/{id}/rows`, each row looked up among the images it
sent), learns them with `grove submit LABELS --candidate ID`, and measures how many of 2 000
rotated images it never sent are routed to the experts grown for them, and their accuracy.
"""
import http.client, json, sys, time, gzip, struct, subprocess, tempfile, os
port, grove = int(sys.argv[1]), sys.argv[2]
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    data = f.read()
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz') as f:
    labels = list(f.read()[8:])
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
sent = 1  # the answer that carried novelty was watched
def settle():
    """Waits until every full window sent so far has been tested (they are tested in the background)."""
    for _ in range(600):
        d = drift()
        if len(d['windows']) - base >= sent // 256: return d
        time.sleep(0.1)
    raise SystemExit(f"windows not tested within a minute: {len(d['windows']) - base} of {sent // 256}")
def phase(name, gen, n):
    global sent
    nov = []
    events0 = len(drift()['events'])
    first = None
    for i in range(n):
        a = call(gen(i)); nov.append(a['predictions'][0]['novelty']); sent += 1
        if first is None and (i + 1) % 256 == 0:
            if len(settle()['events']) > events0: first = i + 1
    d = settle()
    if first is None and len(d['events']) > events0: first = n
    return nov, first, len(d['events']) - events0
known_nov, f, e = phase('known', lambda i: rows[i % 10000], 20000)
d = drift(); w = d['windows'][:len(d['windows']) - base]
print(f"known: 20000 rows, {len(w)} windows, {sum(1 for x in w if not x['fits'])} below alpha, {e} events, min p {min(x['p_value'] for x in w):.3f}")
rot_nov, f, e = phase('rotated', lambda i: rot(rows[i]), 2000)
rotated_event = drift()['events'][-1]['id']
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

# Label the rotated event's candidate rows and learn them.
conn.request('GET', f'/v1/drift/{rotated_event}/rows?format=npy'); npy = conn.getresponse().read()
header_length = struct.unpack('<H', npy[8:10])[0]
header = npy[10:10 + header_length].decode()
count, width = (int(v) for v in header.split('(')[1].split(')')[0].split(','))
body = npy[10 + header_length:]
# A window may straddle the start of the rotated rows: look up upright images too.
label_of = {struct.pack('<784f', *rows[i]): labels[i] for i in range(10000)}
label_of.update({struct.pack('<784f', *rot(rows[i])): labels[i] for i in range(2000)})
candidate = [body[k * 4 * width:(k + 1) * 4 * width] for k in range(count)]
candidate_labels = [label_of.get(r) for r in candidate]
assert None not in candidate_labels, 'a candidate row is none of the images sent'
upright_keys = {struct.pack('<784f', *rows[i]) for i in range(10000)}
upright_in_candidate = sum(1 for r in candidate if r in upright_keys)
with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
    f.write('\n'.join(map(str, candidate_labels)) + '\n')
started = time.time()
run = subprocess.run([grove, 'submit', f.name, '--candidate', str(rotated_event), '--domain', 'rotated-90', '--wait',
                      '--server', f'http://127.0.0.1:{port}'], capture_output=True, text=True)
os.unlink(f.name)
print(f"candidate of event {rotated_event}: {count} rows x {width} ({upright_in_candidate} of them upright), labelled and learned in {time.time() - started:.1f} s: {run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()}")
conn.request('GET', '/v1/domains'); domains = json.loads(conn.getresponse().read())
grown = next(d for d in domains if d['name'] == 'rotated-90')['experts']
def batch(xs):
    conn.request('POST', '/v1/predict', json.dumps({"x": xs}), {'Content-Type': 'application/json'})
    return json.loads(conn.getresponse().read())['predictions']
unseen = list(range(4000, 6000))
answers = [a for k in range(0, len(unseen), 500) for a in batch([rot(rows[i]) for i in unseen[k:k + 500]])]
routed = sum(1 for a in answers if a['experts'][0] in grown) / len(answers)
correct = sum(1 for a, i in zip(answers, unseen) if a['label'] == str(labels[i])) / len(answers)
upright = [a for k in range(0, 2000, 500) for a in batch([rows[i] for i in range(4000 + k, 4500 + k)])]
stray = sum(1 for a in upright if a['experts'][0] in grown) / len(upright)
print(f"rotated images never sent: {routed:.3f} routed to the grown experts {grown}, accuracy {correct:.3f}; upright images routed there: {stray:.3f}")
