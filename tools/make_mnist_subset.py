#!/usr/bin/env python3
"""Cuts luzj's bundled MNIST subset from the full MNIST IDX files.

The subset is the FIRST 6,000 training and the FIRST 1,000 test examples, in file order (no
shuffling, no stratification), so anyone can rebuild it byte for byte:

    python3 tools/make_mnist_subset.py /path/to/mnist \
        luzj-core/src/main/resources/io/github/luzj/data/mnist-subset

The output keeps the standard IDX layout and names, gzip'd with mtime 0 so reruns are identical.
"""
import gzip
import struct
import sys
from pathlib import Path

import numpy as np

COUNTS = {"train": 6000, "t10k": 1000}


def read_idx(path: Path) -> np.ndarray:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    magic, = struct.unpack(">I", raw[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    assert magic >> 8 == 0x08, f"{path}: not unsigned-byte IDX (magic {magic:#010x})"
    assert data.size == int(np.prod(dims)), f"{path}: {data.size} bytes for dims {dims}"
    return data.reshape(dims)


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                               compresslevel=9) as gz:
        gz.write(header + array.astype(np.uint8).tobytes())


def main(src: str, dst: str) -> None:
    src_dir, dst_dir = Path(src), Path(dst)
    dst_dir.mkdir(parents=True, exist_ok=True)
    for split, n in COUNTS.items():
        images = read_idx(src_dir / f"{split}-images-idx3-ubyte.gz")[:n]
        labels = read_idx(src_dir / f"{split}-labels-idx1-ubyte.gz")[:n]
        write_idx(dst_dir / f"{split}-images-idx3-ubyte.gz", images)
        write_idx(dst_dir / f"{split}-labels-idx1-ubyte.gz", labels)
        print(split, images.shape, "labels per class:", np.bincount(labels, minlength=10).tolist())


if __name__ == "__main__":
    main(*sys.argv[1:3])
