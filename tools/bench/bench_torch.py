"""PyTorch side of the benchmark: the same manifest-built networks (tools/fixtures/cgan_reference.py).

Run by run.py, which sets the thread count (OMP/OpenBLAS env vars) before torch loads. Prints one JSON object.
"""
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from cgan_reference import Discriminator, Generator, categorical, load_manifest  # noqa: E402


def median_ms(reps, inner, fn):
    for _ in range(3):
        fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t) * 1000 / inner)
    return statistics.median(times)


def inputs(manifest, n):
    z = torch.randn(n, manifest["latentDim"])
    labels = {c["name"]: torch.arange(n) % len(c["values"]) for c in categorical(manifest)}
    return z, labels


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    threads = int(args.get("--threads", "1"))
    reps = int(args.get("--reps", "10"))
    only = args.get("--only", "all")
    torch.set_num_threads(threads)
    manifest = load_manifest(args["--manifest"])
    result = {"threads": threads, "torch": torch.__version__}
    g = Generator(manifest).eval()
    if only == "memory":
        z, labels = inputs(manifest, 64)
        with torch.no_grad():
            for _ in range(3):
                g(z, labels, {})
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with torch.no_grad():
        for batch in (1, 16, 64):
            z, labels = inputs(manifest, batch)
            result[f"g_b{batch}_ms"] = median_ms(reps, 5 if batch == 1 else 1, lambda: g(z, labels, {}))
    g.train()
    d = Discriminator(manifest).train()
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    z, labels = inputs(manifest, 64)
    size = manifest["imageSize"]
    real = torch.rand(64, manifest["channels"], size, size) * 2 - 1

    def step():
        fake = g(torch.randn_like(z), labels, {})
        opt_d.zero_grad()
        loss_d = torch.relu(1 - d(real, labels, {})).mean() + torch.relu(1 + d(fake.detach(), labels, {})).mean()
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = -d(fake, labels, {}).mean()
        loss_g.backward()
        opt_g.step()

    result["train_b64_ms"] = median_ms(max(3, reps // 2), 1, step)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
