# Aigc Portal container. Kept in step with build.sh: the same native packages, the same publish command.
# .NET 10 ships no Debian images, so both stages use Ubuntu 24.04 (noble). libvips is not installed from apt: it comes
# with the NetVips.Native.linux-x64 package (published next to the app), and needs only libc and libstdc++ from the
# image, plus fonts (Inter; Noto CJK for Chinese text) and the fonts.conf its bundled fontconfig reads.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Front-end and NuGet restores first, so source edits don't invalidate them.
COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json wwwroot-assets/
RUN cd wwwroot-assets && npm ci --no-audit --no-fund && touch node_modules/.package-lock.json
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Aigc.Portal/Aigc.Portal.csproj -c Release -o /app -nologo
# The aigc tool, for the worker role and operators' commands; its own folder, so the two apps' deps files stay apart.
RUN dotnet publish src/Aigc.Cli/Aigc.Cli.csproj -c Release -o /app/cli -nologo
# The shipped model versions, registered at first start (Queue:ShippedModelsDirectory, relative to /app).
COPY models/ /app/models/

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas0-pthread fonts-inter fonts-noto-cjk fontconfig-config \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin aigc \
 && mkdir -p /data && chown aigc:aigc /data
ENV AIGC_DATA=/data \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Logging__Console__FormatterName=json \
    Queue__ShippedModelsDirectory=/app/models
VOLUME /data
WORKDIR /app
COPY --from=build /app .
COPY deploy/container/entrypoint.sh /app/entrypoint.sh
USER aigc
EXPOSE 8080
# Portal by default; `docker run IMAGE worker` runs a generation worker (deploy/container/entrypoint.sh).
ENTRYPOINT ["/bin/sh", "/app/entrypoint.sh"]
