"""Runs our engine and PyTorch side by side, interleaved, and prints ratios.

    /usr/bin/python3 tools/bench/run.py [--rounds 3] [--reps 10] [--threads 1,2]

Builds tools/bench/Aigc.Bench in Release, then for each round and thread count runs Aigc.Bench and
bench_torch.py one after the other (same manifest: models/reference/manifest.json) and reports the median over
rounds. PyTorch gets OMP_NUM_THREADS/OPENBLAS_NUM_THREADS = threads and OMP_WAIT_POLICY=PASSIVE (without it,
its spinning OpenMP threads fight OpenBLAS's and 2 threads run slower than 1).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MANIFEST = os.path.join(ROOT, "models", "reference", "manifest.json")
BENCH_DLL = os.path.join(HERE, "Aigc.Bench", "bin", "Release", "net10.0", "Aigc.Bench.dll")


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def ours(threads, reps, only="all"):
    return run_json(["dotnet", BENCH_DLL, "--threads", str(threads), "--reps", str(reps), "--manifest", MANIFEST,
                     "--only", only])


def torch_side(threads, reps, only="all"):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), OMP_WAIT_POLICY="PASSIVE",
               MKL_NUM_THREADS=str(threads))
    return run_json(["/usr/bin/python3", os.path.join(HERE, "bench_torch.py"), "--threads", str(threads), "--reps",
                     str(reps), "--manifest", MANIFEST, "--only", only], env)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--threads", default="1,2")
    args = p.parse_args()
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "--nologo", os.path.join(HERE, "Aigc.Bench")],
                   check=True, stdout=subprocess.DEVNULL)
    thread_counts = [int(t) for t in args.threads.split(",")]
    samples = {t: {"ours": [], "torch": []} for t in thread_counts}
    for r in range(args.rounds):
        for t in thread_counts:
            samples[t]["ours"].append(ours(t, args.reps))
            samples[t]["torch"].append(torch_side(t, args.reps))
            print(f"round {r + 1}/{args.rounds}, {t} thread(s) done", file=sys.stderr)
    memory = {t: (ours(t, 1, "memory")["peak_rss_mb"], torch_side(t, 1, "memory")["peak_rss_mb"]) for t in thread_counts}

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    load = os.getloadavg()
    print(f"# Neural engine benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load average {load[0]:.1f}; medians of {args.rounds} interleaved rounds x {args.reps} reps")
    print("| threads | measure | ours | PyTorch 1.13 | ratio (PyTorch / ours) |")
    print("|---|---|---|---|---|")
    for t in thread_counts:
        o, pt = samples[t]["ours"], samples[t]["torch"]
        for key, label in (("g_b1_ms", "G inference, batch 1 (ms)"), ("g_b16_ms", "G inference, batch 16 (ms)"),
                           ("g_b64_ms", "G inference, batch 64 (ms)"), ("train_b64_ms", "D+G training step, batch 64, Adam (ms)")):
            a, b = med(o, key), med(pt, key)
            print(f"| {t} | {label} | {a:.2f} | {b:.2f} | {b / a:.2f}x |")
        gf, ceil = med(o, "g_b64_gflops"), med(o, "sgemm_ceiling_gflops")
        flops = med(o, "g_b64_gflops") * med(o, "g_b64_ms") / 1e3
        tgf = flops / (med(pt, "g_b64_ms") / 1e3)
        print(f"| {t} | G batch 64 end-to-end GFLOP/s (OpenBLAS sgemm ceiling on the same GEMMs: {ceil:.1f}) | {gf:.1f} ({gf / ceil:.0%} of ceiling) | {tgf:.1f} | |")
        print(f"| {t} | peak RSS, batch-64 inference process (MB) | {memory[t][0]:.0f} | {memory[t][1]:.0f} | |")
        print(f"| {t} | managed bytes allocated per step: inference b64 / training b64 | {med(o, 'g_b64_alloc_bytes_per_step'):.0f} / {med(o, 'train_b64_alloc_bytes_per_step'):.0f} | | |")


if __name__ == "__main__":
    main()
