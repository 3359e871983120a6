# syntax=docker/dockerfile:1
# Steward's image. The build stage packs Steward (`npm pack`). The install stage installs that
# package as production runs it, with deploy/install-package.sh, the script CI runs in
# .ci/package-check. The runtime stage gets the installed folder and nothing else: no compiler,
# no sources, no npm cache. docs/deployment.md explains the choices.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN mkdir /tmp/package \
  && npm pack --silent --pack-destination /tmp/package \
  && mv /tmp/package/steward-*.tgz /tmp/package/steward.tgz \
  && chmod 644 /tmp/package/steward.tgz

FROM build AS install
RUN groupadd --system --gid 10001 steward \
  && useradd --system --uid 10001 --gid steward --create-home --home-dir /home/steward steward \
  && install -d -o steward -g steward /opt/steward
USER 10001:10001
RUN deploy/install-package.sh /tmp/package/steward.tgz /opt/steward

FROM ${NODE_IMAGE}
RUN groupadd --system --gid 10001 steward \
  && useradd --system --uid 10001 --gid steward --no-create-home --home-dir /var/lib/steward \
    --shell /usr/sbin/nologin steward \
  && install -d -o steward -g steward -m 0700 /var/lib/steward/data
# The code belongs to root: the server can read it, not change it.
COPY --from=install --chown=root:root /opt/steward /opt/steward
COPY --chown=root:root deploy/healthcheck.mjs /opt/steward/healthcheck.mjs
ENV PATH=/opt/steward/node_modules/.bin:$PATH \
  HOST=0.0.0.0 \
  PORT=8080
# Steward's defaults are relative to the working directory: the SQLite database
# (./data/steward.db), the usage spool (./data/spool) and the first admin key's file
# (./data/first-admin-key) are all on the volume. DATABASE_URL is not set here, so that
# DATABASE_URL_FILE can be.
WORKDIR /var/lib/steward
VOLUME /var/lib/steward/data
EXPOSE 8080
USER 10001:10001
# SIGTERM drains requests and writes (or spools) every usage event before exiting.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/opt/steward/healthcheck.mjs"]
ENTRYPOINT ["steward"]
CMD ["serve"]
