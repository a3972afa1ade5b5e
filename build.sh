#!/usr/bin/env bash
# Aigc Portal: the two commands of the quick start.
#   ./build.sh run    install what is missing, build, migrate the database, serve the portal
#   ./build.sh test   install what is missing (chromium, postgresql too), build, run every test; the database tests
#                     run twice, on SQLite and on a private PostgreSQL started for the run (decision 0016)
# Environment: AIGC_DATA (data directory, default ./data), ASPNETCORE_URLS (default http://127.0.0.1:5080),
# AIGC_ADMIN_EMAIL / AIGC_ADMIN_PASSWORD (the first admin; otherwise a one-time password is printed).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

# libvips comes with NetVips.Native (NuGet); its bundled fontconfig reads Debian's fonts.conf (fontconfig-config).
# fonts-noto-cjk: the portal speaks Simplified Chinese; server-drawn text (ads, title blocks) needs CJK glyphs.
RUNTIME_PACKAGES=(libopenblas0-pthread fonts-inter fonts-noto-cjk fontconfig-config)
TEST_PACKAGES=(chromium python3-onnx python3-ezdxf postgresql)
# The deployment tests: nginx -t and nginx in front of two portals (TLS by openssl), systemd-analyze verify.
TEST_PACKAGES+=(nginx openssl systemd)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$p"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them (Debian 12 expected)"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "missing ${missing[*]}: run as root or install sudo"
    sudo=(sudo)
  fi
  step "Installing ${missing[*]} (apt)"
  "${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=1200 \
    --no-install-recommends "${missing[@]}" || fail "apt-get could not install ${missing[*]}"
}

check_dotnet() {
  command -v dotnet >/dev/null || fail "the .NET 10 SDK is required (dotnet not found on PATH)"
  local version
  version=$(dotnet --version 2>/dev/null) || fail "dotnet --version failed"
  [ "${version%%.*}" -ge 10 ] || fail ".NET SDK 10 or later is required (found $version)"
}

prepare() {
  check_dotnet
  local packages=("${RUNTIME_PACKAGES[@]}")
  [ "${1:-}" = test ] && packages+=("${TEST_PACKAGES[@]}")
  command -v npm >/dev/null || packages+=(nodejs npm)
  install_packages "${packages[@]}"
  # The self-hosted fonts; npm runs only when the lock file changed since the last install.
  if [ ! -e wwwroot-assets/node_modules/.package-lock.json ] \
     || [ wwwroot-assets/package-lock.json -nt wwwroot-assets/node_modules/.package-lock.json ]; then
    step "Front-end packages (npm ci)"
    (cd wwwroot-assets && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in wwwroot-assets"
    touch wwwroot-assets/node_modules/.package-lock.json
  fi
}

run() {
  prepare run
  step "Building the portal (Release)"
  dotnet publish src/Aigc.Portal/Aigc.Portal.csproj -c Release -o "$ROOT/artifacts/portal" -nologo -v q \
    || fail "the portal did not build (see the errors above)"
  export AIGC_DATA="${AIGC_DATA:-$ROOT/data}"
  export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
  # The shipped model versions (models/NAME/VERSION) are registered at first start.
  export Queue__ShippedModelsDirectory="${Queue__ShippedModelsDirectory:-$ROOT/models}"
  mkdir -p "$AIGC_DATA"
  step "Starting the portal at $ASPNETCORE_URLS (data in $AIGC_DATA; Ctrl+C stops it)"
  cd "$ROOT/artifacts/portal"
  exec dotnet Aigc.Portal.dll
}

test_all() {
  prepare test
  step "Building everything (Release)"
  dotnet build Aigc.Portal.sln -c Release -nologo -v q || fail "the solution did not build (see the errors above)"
  step "Starting a private PostgreSQL on loopback"
  # shellcheck source=tools/postgres/private-postgres.sh
  source "$ROOT/tools/postgres/private-postgres.sh"
  trap private_postgres_stop EXIT
  private_postgres_start || fail "could not start PostgreSQL (see above)"
  step "Running every test (database tests on SQLite)"
  local log status pg_status
  log=$(mktemp)
  set +e
  dotnet test Aigc.Portal.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  step "Running the database tests on PostgreSQL"
  AIGC_TEST_PROVIDER=Postgres dotnet test tests/Aigc.Platform.Tests/Aigc.Platform.Tests.csproj -c Release --no-build \
    -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
  pg_status=${PIPESTATUS[0]}
  AIGC_TEST_PROVIDER=Postgres dotnet test tests/Aigc.Portal.Tests/Aigc.Portal.Tests.csproj -c Release --no-build \
    -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || pg_status=1
  [ "$pg_status" -eq 0 ] || status=1
  set -e
  # The failures again near the end, where a truncated CI log still shows them.
  if grep -qE '^\s+Failed [A-Za-z_]' "$log"; then
    printf '\nFailed tests:\n'
    grep -E -A 6 '^\s+Failed [A-Za-z_]' "$log" | grep -vE '^\s*(at |--$)' | cut -c1-300
  fi
  # One closing line over all test projects, in the form CI reads.
  awk '$1 == "Passed:" && NF == 2 { p += $2 } $1 == "Failed:" && NF == 2 { f += $2 } $1 == "Skipped:" && NF == 2 { s += $2 }
       /Total tests:/ { runs++ }
       END { printf "\n%d test projects ran\nTests: %d passed, %d failed, %d skipped\n", runs, p, f, s }' "$log"
  rm -f "$log"
  [ "$status" -eq 0 ] || fail "some tests failed (see above)"
}

case "${1:-}" in
  run) run ;;
  test) test_all ;;
  *) echo "usage: ./build.sh run | test" >&2; exit 2 ;;
esac
