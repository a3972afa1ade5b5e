#!/usr/bin/env bash
# The circuit benchmark: publishes the portal, the CLI and the bare `dotnet new blazor --interactivity Server`
# template, builds the GC probe and the driver, then runs it (Debian's chromium).
# Usage: run.sh [--circuits 50] [--rounds 5] [--gallery-only: the template's baselines and the gallery's figures]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
out="${CIRCUIT_BENCH_OUT:-/tmp/aigc-circuit-bench}"
mkdir -p "$out"
dotnet publish "$root/src/Aigc.Portal" -c Release -o "$out/portal" -v q -nologo
dotnet publish "$root/src/Aigc.Cli" -c Release -o "$out/cli" -v q -nologo
if [ ! -f "$out/bare/out/bare.dll" ]; then
  rm -rf "$out/bare" && dotnet new blazor --interactivity Server -n bare -o "$out/bare" >/dev/null
  dotnet publish "$out/bare" -c Release -o "$out/bare/out" -v q -nologo
fi
dotnet build "$here/GcProbe" -c Release -o "$out/probe" -v q -nologo
dotnet build "$here/Aigc.CircuitBench" -c Release -o "$out/driver" -v q -nologo
dotnet "$out/driver/Aigc.CircuitBench.dll" --portal "$out/portal/Aigc.Portal.dll" --template "$out/bare/out/bare.dll" \
  --probe "$out/probe/GcProbe.dll" --cli "$out/cli/aigc.dll" --models "$root/models" "$@"
