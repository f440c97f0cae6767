"""Request bodies of Fashion-MNIST test images for the serving scripts, written into a directory.

    python3 Tests/Scripts/fashion_bodies.py DIR

json.txt: 2 000 bodies {"x": [[...]]}, one image each, one per line. npy-I and raw-I (I < 200):
one image as an NPY array of uint8 and as raw little-endian float32. batch-I (I < 8): 256 images
as an NPY array of float32. Binary bodies are one file each, since wrk's Lua reads them as strings.
"""
import gzip, struct, sys

work = sys.argv[1]
data = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()
assert struct.unpack(">I", data[:4])[0] == 2051


def row(i):
    return data[16 + i * 784:16 + (i + 1) * 784]


def npy(rows, descr, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, 784), }" % (descr, rows)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


with open(work + "/json.txt", "w") as out:
    for i in range(2000):
        out.write('{"x":[[' + ",".join(map(str, row(i))) + "]]}\n")
for i in range(200):
    open("%s/npy-%d" % (work, i), "wb").write(npy(1, "|u1", row(i)))
    open("%s/raw-%d" % (work, i), "wb").write(struct.pack("<784f", *row(i)))
for i in range(8):
    payload = b"".join(struct.pack("<784f", *row(i * 256 + j)) for j in range(256))
    open("%s/batch-%d" % (work, i), "wb").write(npy(256, "<f4", payload))
