#!/usr/bin/env python3
"""The Python loop a user would write instead of running the service, as `bench --throughput
--anchor python` runs it: each photo decoded upright (EXIF) with Pillow, fitted to the output size
the service uses (long side at most MAXSIDE, never enlarged, sides multiples of 8, bilinear), the
generator run by ONNX Runtime with its default session options and THREADS intra-op threads, the
result encoded as PNG at compression level 1. One warm-up picture first, not counted.

Usage: anchor.py [--json] MODEL MAXSIDE THREADS PHOTO...
Prints one line per photo, then a summary: with --json a JSON object on the last line, with the
milliseconds spent in each phase summed over the photos, each photo's seconds and the process's
CPU seconds (all its threads) over the timed photos.
Needs Python 3 with onnxruntime, numpy and pillow (README, "How it fits together", has the set-up).
"""
import io
import json
import sys
import time

MULTIPLE = 8
PHASES = ("decode", "resize", "tensor", "model", "output", "encode")


def fit(width, height, max_side):
    """The service's OutputSize.fit: nearest multiple of 8 (halves up), never past max_side."""
    scale = min(1.0, max_side / max(width, height))

    def side(v):
        nearest = int(v * scale / MULTIPLE + 0.5) * MULTIPLE
        within = max_side // MULTIPLE * MULTIPLE if nearest > max_side else nearest
        return max(MULTIPLE, within)

    return side(width), side(height)


class Loop:
    def __init__(self, model, max_side, threads):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.max_side = max_side
        self.version = onnxruntime.__version__

    def draw(self, path, seconds):
        """Draws one photo, adding each phase's seconds to `seconds`; returns the output size."""
        import numpy as np
        from PIL import Image, ImageOps

        clock = [time.perf_counter()]

        def lap(phase):
            now = time.perf_counter()
            seconds[phase] += now - clock[0]
            clock[0] = now

        with Image.open(path) as raw:
            picture = ImageOps.exif_transpose(raw).convert("RGB")
        lap("decode")
        size = fit(picture.width, picture.height, self.max_side)
        if size != picture.size:
            picture = picture.resize(size, Image.BILINEAR)
        lap("resize")
        tensor = (np.asarray(picture, dtype=np.float32) / 127.5 - 1.0)[np.newaxis]
        lap("tensor")
        drawn = self.session.run(None, {self.input: tensor})[0][0]
        lap("model")
        pixels = np.clip(np.rint((drawn + 1.0) * 127.5), 0, 255).astype(np.uint8)
        lap("output")
        Image.fromarray(pixels).save(io.BytesIO(), "PNG", compress_level=1)
        lap("encode")
        return size


def main(args):
    as_json = args[:1] == ["--json"]
    if as_json:
        args = args[1:]
    if len(args) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    model, max_side, threads, photos = args[0], int(args[1]), int(args[2]), args[3:]
    loop = Loop(model, max_side, threads)
    loop.draw(photos[0], dict.fromkeys(PHASES, 0.0))
    phases = dict.fromkeys(PHASES, 0.0)
    latencies = []
    cpu = time.process_time()
    start = time.perf_counter()
    for path in photos:
        before = time.perf_counter()
        width, height = loop.draw(path, phases)
        latencies.append(time.perf_counter() - before)
        print(f"{path.rsplit('/', 1)[-1]:28s} {width}x{height} {1000 * latencies[-1]:7.0f} ms")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    summary = {
        "photos": len(photos),
        "seconds": round(seconds, 3),
        "picturesPerSecond": round(len(photos) / seconds, 4),
        "phaseMs": {phase: round(1000 * s) for phase, s in phases.items()},
        "latenciesSeconds": [round(s, 3) for s in latencies],
        "cpuSeconds": round(cpu, 3),
        "onnxruntime": loop.version,
        "threads": threads,
        "maxSide": max_side,
    }
    if as_json:
        print(json.dumps(summary))
    else:
        print(f"python loop: {seconds:.2f} s for {len(photos)} photos = {len(photos) / seconds:.3f} pictures/s "
              f"(onnxruntime {loop.version}; ms per phase {summary['phaseMs']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
