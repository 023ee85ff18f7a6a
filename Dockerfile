# One image recipe for the three Shipshape services, chosen by the SERVICE build argument:
#
#   docker build --target runtime --build-arg SERVICE=order --build-arg PORT=3002 -t shipshape/order-service .
#
# Stages: prune (only the service's workspace dependencies, `turbo prune --docker`) → build
# (compile with dev dependencies) → prod-deps (production dependencies only) → runtime (Node 24
# slim, tini as PID 1, non-root, no compiler, no sources). `runtime` is the last stage, so it is
# also what a build without --target makes; docker-compose.yml names it anyway. The `load`
# target packs the whole workspace for the load generator (`docker compose --profile load up`).
#
# No `# syntax=` line: the builder's built-in Dockerfile frontend (BuildKit, Docker >= 20.10)
# handles `RUN --mount=type=cache`, and the build needs no frontend image from a registry.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /repo

# --- prune: the lockfile and workspaces the service needs, nothing else -------------------
FROM base AS prune
ARG SERVICE
ARG TURBO_VERSION=2.11.11
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=user|order|payment" >&2; exit 1; }
COPY . .
RUN npx --yes "turbo@${TURBO_VERSION}" prune "@shipshape/${SERVICE}-service" --docker

# --- build: install everything (dev deps included) and compile the service and its deps -----
FROM base AS build
ARG SERVICE
# out/json holds only package.json files and the pruned lockfile: this layer is cached until
# a dependency changes, not when source changes.
COPY --from=prune /repo/out/json/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
COPY --from=prune /repo/out/full/ ./
RUN npx turbo run build --filter="@shipshape/${SERVICE}-service"
# Keep only what runs: each runtime workspace's package.json and dist/.
RUN mkdir -p /staging && \
    for dir in packages/* services/*; do \
      [ -f "$dir/package.json" ] || continue; \
      mkdir -p "/staging/$dir" && cp "$dir/package.json" "/staging/$dir/"; \
      if [ -d "$dir/dist" ]; then cp -R "$dir/dist" "/staging/$dir/"; fi; \
    done

# --- prod-deps: production dependencies only ----------------------------------------------
FROM base AS prod-deps
ARG SERVICE
COPY --from=prune /repo/out/json/ ./
# `--workspace`: only the service's dependency tree (its workspace packages' included), not the
# dependencies of every pruned workspace (the tooling workspaces would bring vitest along).
# Then every package no production code can load goes: `--omit=dev` keeps the lockfile's
# `devOptional` packages (esbuild, @types/node through vite's optional peers), see the script.
COPY infra/docker/prune-unreachable.mjs /usr/local/lib/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --workspace "@shipshape/${SERVICE}-service" && \
    node /usr/local/lib/prune-unreachable.mjs "services/${SERVICE}"

# --- load: the whole workspace built, for `npm run load` (compose profile `load`) -----------
FROM base AS load
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts && npx turbo run build
USER node
# compose runs it with `init: true` and passes the arguments: `npm run load -- …`.
CMD ["npm", "run", "load"]

# --- runtime ------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT
RUN test -n "${PORT}" || { echo "build with --build-arg PORT=<the service's port>" >&2; exit 1; }
# tini as PID 1: forwards SIGTERM/SIGINT to node (which runs the graceful shutdown) and reaps
# zombies; node itself as PID 1 would get no default signal handlers.
RUN apt-get update && \
    apt-get install -y --no-install-recommends tini && \
    rm -rf /var/lib/apt/lists/*
# Heap: Node 24 sizes the V8 old space from the cgroup memory limit when this percentage flag
# is set (libuv's constrained memory); 75 % leaves a quarter for buffers, native memory and
# the stack. Without it Node picks about half of the limit.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size-percentage=75 \
    PORT=${PORT}
WORKDIR /app
COPY --from=prod-deps /repo/ ./
COPY --from=build /staging/ ./
WORKDIR /app/services/${SERVICE}
# The image's built-in unprivileged user (uid 1000); files stay root-owned and read-only.
USER node
EXPOSE ${PORT}
# No curl in slim images: node's own fetch probes liveness. NODE_OPTIONS applies, --import
# does not, so the probe does not start telemetry.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# `--import` starts OpenTelemetry before the app's modules load, so they are instrumented.
CMD ["node", "--import", "@shipshape/observability/register", "dist/main.js"]
