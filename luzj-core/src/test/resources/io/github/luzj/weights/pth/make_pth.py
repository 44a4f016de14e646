"""Writes the small .pth test files exactly as torch.save lays them out, without PyTorch.

torch.save(obj, f) writes a zip: <name>/data.pkl (protocol 2 pickle whose tensors are
torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks), storages
being persistent ids ('storage', torch.FloatStorage, key, location, numel)), <name>/data/<key>
(raw little-endian storages), <name>/byteorder, <name>/version. Stand-in torch modules make
Python's own pickle emit the same opcodes. Run: python3 make_pth.py (numpy needed).
"""
import collections
import io
import os
import pickle
import sys
import types
import zipfile

import numpy as np

torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
torch._utils = utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = utils


def _storage_class(name):
    cls = type(name, (), {})
    cls.__module__ = "torch"
    setattr(torch, name, cls)
    return cls


FloatStorage = _storage_class("FloatStorage")
HalfStorage = _storage_class("HalfStorage")
LongStorage = _storage_class("LongStorage")


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called: this script only writes pickles")


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, cls, key, array):
        self.cls, self.key, self.array = cls, key, array


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False,
                                     collections.OrderedDict()))


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.cls, obj.key, "cpu", obj.array.size)
        return None


def save(path, obj, storages):
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(obj)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        z.writestr("archive/byteorder", "little")
        for s in storages:
            z.writestr("archive/data/" + s.key, s.array.astype(s.array.dtype.newbyteorder("<")).tobytes())
        z.writestr("archive/version", "3\n")


here = os.path.dirname(os.path.abspath(__file__))
floats = Storage(FloatStorage, "0", np.arange(6, dtype=np.float32) * 0.5 - 1)  # -1, -0.5, ..., 1.5
halves = Storage(HalfStorage, "1", np.array([1, -2, 0.25, 65504], dtype=np.float16))
counter = Storage(LongStorage, "2", np.array([7], dtype=np.int64))

sd = collections.OrderedDict()
sd["a.weight"] = Tensor(floats, 0, (2, 3), (3, 1))
sd["a.transposed"] = Tensor(floats, 0, (3, 2), (1, 3))  # a view sharing storage 0
sd["a.tail"] = Tensor(floats, 4, (2,), (1,))  # storage offset 4
sd["b.half"] = Tensor(halves, 0, (4,), (1,))
sd["b.num_batches_tracked"] = Tensor(counter, 0, (), ())
sd._metadata = collections.OrderedDict([("", {"version": 1}), ("a", {"version": 2})])
save(os.path.join(here, "small_state_dict.pth"), sd, [floats, halves, counter])

checkpoint = {"epoch": 3, "state_dict": sd}
save(os.path.join(here, "checkpoint.pth"), checkpoint, [floats, halves, counter])


class Evil:
    def __reduce__(self):
        return (os.system, ("echo this would run in Python",))


save(os.path.join(here, "evil.pth"), collections.OrderedDict([("x", Evil())]), [])
