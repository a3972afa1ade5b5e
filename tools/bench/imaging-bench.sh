#!/usr/bin/env bash
# Imaging benchmark: our libvips pipeline vs ImageMagick (mogrify) on the same files, in one run.
# Usage: tools/bench/imaging-bench.sh [images=60] [rounds=7]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/mogrify ] || { echo "ImageMagick's mogrify is required (Debian: imagemagick)" >&2; exit 1; }
dotnet build -c Release -v q tools/bench/Aigc.Imaging.Bench/Aigc.Imaging.Bench.csproj >/dev/null
exec dotnet tools/bench/Aigc.Imaging.Bench/bin/Release/net10.0/Aigc.Imaging.Bench.dll "$@"
