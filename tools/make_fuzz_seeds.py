#!/usr/bin/env python3
"""Writes the committed regression inputs of the Jazzer fuzz tests (see docs/fuzzing.md).

Each file is one input: valid files (so the fuzzer starts from the formats' structure) and the
damaged and hostile files that once crashed or fooled luzj. Run from the repository root:
    python3 tools/make_fuzz_seeds.py
"""
import gzip
import io
import json
import os
import struct
import zipfile

CORE = "luzj-core/src/test/resources/io/github/luzj"
PTH = f"{CORE}/weights/PthReaderFuzzTestInputs/readsOrRefuses"
ST = f"{CORE}/weights/SafetensorsFuzzTestInputs/readsOrRefuses"
IDX = f"{CORE}/data/IdxReaderFuzzTestInputs/readsOrRefuses"
SCHED = "luzj-callbacks/src/test/resources/io/github/luzj/callbacks/lr/ScheduleSpecsFuzzTestInputs/parsesAndSimulatesOrRefuses"


def put(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# ---- pickles, as torch.save writes them (protocol 2) -------------------------------------
def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def uni(s, length=None):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b) if length is None else length) + b


def bint(v):
    return b"J" + struct.pack("<i", v)


def tensor(key, size, stride, offset=0, numel=16, storage="FloatStorage"):
    p = glob("torch._utils", "_rebuild_tensor_v2") + b"(("
    p += uni("storage") + glob("torch", storage) + uni(key) + uni("cpu") + bint(numel) + b"tQ"
    p += bint(offset) + b"(" + b"".join(bint(s) for s in size) + b"t("
    p += b"".join(bint(s) for s in stride) + b"t" + b"\x89"
    p += glob("collections", "OrderedDict") + b")RtR"
    return p


def state_dict(*items):
    p = b"\x80\x02" + glob("collections", "OrderedDict") + b")R("
    for name, t in items:
        p += uni(name) + t
    return p + b"u."


good = state_dict(("w", tensor("0", [4, 4], [4, 1])), ("b", tensor("0", [4], [1], offset=12)))
put(PTH, "valid-state-dict", good)
put(PTH, "transposed-view", state_dict(("w", tensor("0", [4, 4], [1, 4]))))
put(PTH, "malicious-os-system", b"\x80\x02" + glob("os", "system") + uni("echo pwned") + b"\x85R.")
put(PTH, "binunicode-length-ffffffff", b"\x80\x02}" + uni("w", 0xFFFFFFFF) + b"s.")
put(PTH, "binstring-negative-length", b"\x80\x02}T" + struct.pack("<i", -5) + b"abc.")
put(PTH, "negative-size", state_dict(("w", tensor("0", [-1, 4], [4, 1]))))
put(PTH, "negative-stride", state_dict(("w", tensor("0", [4, 4], [-4, 1]))))
put(PTH, "size-stride-mismatch", state_dict(("w", tensor("0", [4, 4], [4]))))
put(PTH, "huge-size-overflow", state_dict(("w", tensor("0", [2**31 - 1, 2**31 - 1, 2**31 - 1], [0, 0, 0]))))
put(PTH, "view-past-storage", state_dict(("w", tensor("0", [4, 5], [4, 1]))))
put(PTH, "storage-numel-huge", state_dict(("w", tensor("0", [4], [1], numel=2**30))))
put(PTH, "storage-numel-over-array-limit", state_dict(("w", tensor("0", [4], [1], numel=2**31 - 1))))
put(PTH, "storage-numel-negative", state_dict(("w", tensor("0", [4], [1], numel=-3))))
put(PTH, "missing-storage", state_dict(("w", tensor("7", [4], [1]))))
put(PTH, "not-flat-checkpoint", b"\x80\x02}(" + uni("epoch") + bint(3) + uni("model") + b"}u.")
put(PTH, "list-key", b"\x80\x02}]" + uni("v") + b"s.")
put(PTH, "self-containing-list", b"\x80\x02}(]q\x00h\x00a" + uni("v") + b"u.")
put(PTH, "empty-stack-pop", b"\x80\x02s.")
put(PTH, "truncated", good[: len(good) // 2])


def zipped(entries, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


floats = struct.pack("<16f", *range(16))
put(PTH, "archive-valid", zipped([("archive/data.pkl", good), ("archive/byteorder", b"little"),
                                  ("archive/data/0", floats)]))
put(PTH, "archive-big-endian", zipped([("archive/data.pkl", good), ("archive/byteorder", b"big"),
                                       ("archive/data/0", floats)]))
put(PTH, "archive-without-pickle", zipped([("archive/data/0", floats)]))
put(PTH, "archive-storage-too-long", zipped([("archive/data.pkl", good), ("archive/data/0", floats * 2)]))
# a zip bomb: data.pkl inflates to 40 MB from about 40 KB, past the 32 MB cap
put(PTH, "zip-bomb-pickle", zipped([("archive/data.pkl", b"\x80\x02" + b"N" * (40 << 20))],
                                   zipfile.ZIP_DEFLATED))
put(PTH, "zip-bomb-byteorder", zipped([("archive/data.pkl", good),
                                       ("archive/byteorder", b"little" + b" " * (1 << 20))],
                                      zipfile.ZIP_DEFLATED))
put(PTH, "not-a-zip", b"PK\x03\x04garbage")


# ---- safetensors ---------------------------------------------------------------------------
def st(header, data=b"", raw_header=None, length=None):
    h = raw_header if raw_header is not None else json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h) if length is None else length) + h + data


data16 = struct.pack("<4f", 1, 2, 3, 4)
put(ST, "valid", st({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                     "__metadata__": {"format": "pt"}}, data16))
put(ST, "valid-two-dtypes", st({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
                                "b": {"dtype": "I64", "shape": [], "data_offsets": [4, 12]}},
                               b"\x00\x3c\x00\xc0" + struct.pack("<q", 7)))
put(ST, "offsets-abc", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":[4],"data_offsets":["abc",16]}}'))
put(ST, "offsets-nan", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":[4],"data_offsets":[NaN,16]}}'))
put(ST, "offset-half", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":[4],"data_offsets":[0.5,16]}}'))
put(ST, "shape-string", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":["4"],"data_offsets":[0,16]}}'))
put(ST, "shape-fraction", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":[4.7],"data_offsets":[0,16]}}'))
put(ST, "overlapping", st({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                           "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, data16))
put(ST, "gap", st({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, data16))
put(ST, "trailing-bytes", st({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, data16))
put(ST, "tensor-2gib", st({"a": {"dtype": "F32", "shape": [536870912], "data_offsets": [0, 2147483648]}}, data16))
put(ST, "tensor-elements-overflow", st({"a": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 16]}}, data16))
put(ST, "unknown-dtype", st({"a": {"dtype": "F8_E4M3", "shape": [16], "data_offsets": [0, 16]}}, data16))
put(ST, "header-length-huge", st({}, b"", length=2**63 - 1))
put(ST, "header-over-100mb-claim", st({}, b"", length=100_000_001))
put(ST, "header-not-utf8", st(None, b"", raw_header=b'{"\xff\xfe":1}'))
put(ST, "header-deep-nesting", st(None, b"", raw_header=b"{\"a\":" + b"[" * 5000 + b"]" * 5000 + b"}"))
put(ST, "metadata-not-strings", st({"__metadata__": {"x": 1}}))
put(ST, "zip-instead", b"PK\x03\x04" + b"\x00" * 12)
put(ST, "repeated-name", st(None, data16, raw_header=b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
                                                   b'"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}'))

# ---- IDX -------------------------------------------------------------------------------------
labels = struct.pack(">II", 0x801, 5) + bytes([0, 1, 2, 3, 4])
images = struct.pack(">IIII", 0x803, 2, 3, 3) + bytes(range(18))
put(IDX, "labels", labels)
put(IDX, "images", images)
put(IDX, "images-gz", gzip.compress(images, mtime=0))
put(IDX, "labels-truncated", labels[:-2])
put(IDX, "labels-trailing", labels + b"\x00")
put(IDX, "images-2g-announced", struct.pack(">IIII", 0x803, 2**31 - 1, 2, 2) + bytes(4))
put(IDX, "images-zero-count-huge-items", struct.pack(">IIII", 0x803, 0, 2**31 - 1, 2**31 - 1))
put(IDX, "gzip-truncated", gzip.compress(images, mtime=0)[:-6])
put(IDX, "gzip-bad-crc", gzip.compress(images, mtime=0)[:-8] + b"\x00" * 8)
put(IDX, "wrong-magic", struct.pack(">I", 0x0D03) + bytes(8))

# ---- schedule specs ---------------------------------------------------------------------------
for f in sorted(os.listdir("docs/schedules")):
    put(SCHED, "docs-" + f[:-5], open(os.path.join("docs/schedules", f), "rb").read())


def case(kind, args, steps=50, **extra):
    c = {"name": kind, "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9},
         "scheduler": {"kind": kind, "args": args}, "steps": steps}
    c.update(extra)
    return json.dumps(c)


put(SCHED, "repeated-key", case("StepLR", {"step_size": 3})[:-1] + ', "steps": 40}')
put(SCHED, "steps-1e9", case("StepLR", {"step_size": 3}, steps=1e9))
put(SCHED, "steps-1e7", case("StepLR", {"step_size": 3}, steps=1e7))
put(SCHED, "steps-1e12", case("StepLR", {"step_size": 3}, steps=1e12))
put(SCHED, "one-cycle-epochs-3e8", case("OneCycleLR", {"max_lr": 0.01, "epochs": 3e8, "steps_per_epoch": 469}))
put(SCHED, "one-cycle-past-end", case("OneCycleLR", {"max_lr": 0.01, "total_steps": 10}, steps=20))
put(SCHED, "cyclic", case("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 2**31 - 1, "step_size_down": 2**31 - 1}))
put(SCHED, "warm-restarts-huge-mult", case("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 2**31 - 1}, steps=100))
put(SCHED, "plateau", case("ReduceLROnPlateau", {"patience": 1}, steps=4, metrics=[1, 1, 1, 1]))
put(SCHED, "plateau-missing-metrics", case("ReduceLROnPlateau", {}, steps=4))
put(SCHED, "sequential", case("SequentialLR", {"schedulers": [{"kind": "LinearLR", "args": {}},
                                                              {"kind": "ExponentialLR", "args": {"gamma": 0.9}}],
                                               "milestones": [5]}))
put(SCHED, "multistep", case("MultiStepLR", {"milestones": [3, 3, 2**31 - 1], "gamma": 1e308}))
put(SCHED, "lambda", case("LambdaLR", {}))
put(SCHED, "not-a-case", "[1, 2, 3]")
put(SCHED, "nested-sequential", case("SequentialLR", {"schedulers": [{"kind": "SequentialLR", "args": {"schedulers": [], "milestones": []}}], "milestones": []}))
