"""Loads a version exported by `grove export VERSION --format safetensors` with the `safetensors`
package and checks that its experts, combined as the file's `grove` metadata describes, reproduce
the daemon's predictions (labels, first experts and probabilities) on 100 Fashion-MNIST test images.

Usage, against a running daemon serving a Fashion-MNIST model (`grove demo`, then `grove daemon`):
    python3 -m venv /tmp/st && /tmp/st/bin/pip install safetensors numpy
    /tmp/st/bin/python Tests/Scripts/safetensors_check.py 7892 .build/release/grove
It exports the serving version with the CLI, computes in float64 with NumPy and exits 1 on a mismatch.
"""
import gzip, http.client, json, subprocess, sys, tempfile, os
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

port, grove = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection('127.0.0.1', port)
conn.request('GET', '/v1/versions'); versions = json.loads(conn.getresponse().read())
version = next(v['number'] for v in versions if v['serving'])
path = os.path.join(tempfile.mkdtemp(), f'default-v{version}.safetensors')
subprocess.run([grove, 'export', str(version), '--out', path, '--server', f'http://127.0.0.1:{port}'], check=True)
tensors = load_file(path)
with safe_open(path, framework='numpy') as f:
    d = json.loads(f.metadata()['grove'])

with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    images = np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(-1, 784)
x = images[:100].astype(np.float64)
# A rotated copy too, so the newest experts are exercised when the model has learned rotations.
x = np.concatenate([x[:50], np.rot90(x[50:].reshape(-1, 28, 28), k=-1, axes=(1, 2)).reshape(-1, 784)])

def gate_input(x):
    g = d['gate']['input']
    if g['kind'] == 'standardized':
        return (x - g['mean']) / g['std']
    mean, std = x.mean(axis=1, keepdims=True), x.std(axis=1, keepdims=True)
    flat = ~(std > 1e-6 * np.maximum(1, np.abs(mean)))
    safe = np.where(flat, 1, std)
    shape = np.where(flat, 0, (x - mean) / safe)
    clamp = lambda v: np.clip(v, -g['clamp'], g['clamp'])
    scale = np.where(flat, -g['clamp'], clamp((np.log(safe) - g['log_scale_mean']) / g['log_scale_std']))
    offset = np.where(flat, 0, clamp((mean / safe - g['offset_mean']) / g['offset_std']))
    return np.concatenate([shape, scale * g['gain'], offset * g['gain']], axis=1)

def f64(name): return tensors[name].astype(np.float64)
h = gate_input(x)
if d['gate']['hidden'] > 0:
    h = np.maximum(h @ f64('gate.w1').T + f64('gate.b1'), 0)
logits = h @ f64('gate.w2').T + f64('gate.b2')
k = d['top_k']
chosen = np.argsort(-logits, axis=1, kind='stable')[:, :k]
kept = np.take_along_axis(logits, chosen, axis=1)
weights = np.exp(kept - kept.max(axis=1, keepdims=True)); weights /= weights.sum(axis=1, keepdims=True)
probabilities = np.zeros((len(x), len(d['labels'])))
for row in range(len(x)):
    for j in range(k):
        e = d['experts'][chosen[row, j]]
        p = f'experts.{e["id"]}.'
        z = (x[row] - e['normalization']['mean']) / e['normalization']['std']
        hidden = np.maximum(f64(p + 'w1') @ z + f64(p + 'b1'), 0)
        out = f64(p + 'w2') @ hidden + f64(p + 'b2')
        out = np.exp(out - out.max()); out /= out.sum()
        probabilities[row, tensors[p + 'classes']] += weights[row, j] * out

conn.request('POST', '/v1/predict', json.dumps({'x': x.tolist()}), {'Content-Type': 'application/json'})
answer = json.loads(conn.getresponse().read())
assert answer['version'] == version, f"the daemon answered with version {answer['version']}, exported {version}"
grove_labels = [p['label'] for p in answer['predictions']]
grove_experts = [p['experts'][0] for p in answer['predictions']]
grove_p = np.array([p['probability'] for p in answer['predictions']])
best = probabilities.argmax(axis=1)
labels = [d['labels'][i] for i in best]
experts = [d['gate']['experts'][c] for c in chosen[:, 0]]
label_agree = sum(a == b for a, b in zip(labels, grove_labels))
expert_agree = sum(a == b for a, b in zip(experts, grove_experts))
gap = np.abs(probabilities[np.arange(len(x)), best] - grove_p).max()
print(f"version {version}: {len(tensors)} tensors, {os.path.getsize(path)} bytes, {len(d['experts'])} experts, top-{k}; "
      f"on {len(x)} rows labels agree {label_agree}, first experts agree {expert_agree}, largest probability gap {gap:.2e}")
sys.exit(0 if label_agree == len(x) and expert_agree == len(x) and gap < 1e-4 else 1)
