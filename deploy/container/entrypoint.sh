#!/bin/sh
# The image's roles (docs/deploy.md): with no arguments, or arguments for the portal, it serves the portal;
# "worker ..." runs `aigc worker ...` (a generation worker without the web server); "aigc ..." runs any other
# command of the tool (aigc blobs check, aigc db copy ...). exec: the process gets SIGTERM from `docker stop`
# directly, so a worker hands its jobs back and a portal drains its requests.
set -eu
case "${1:-}" in
  worker) exec dotnet /app/cli/aigc.dll "$@" ;;
  aigc) shift; exec dotnet /app/cli/aigc.dll "$@" ;;
  *) exec dotnet /app/Aigc.Portal.dll "$@" ;;
esac
