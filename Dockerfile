# syntax=docker/dockerfile:1
# One image for the API, the worker and the migration step; the command picks the process.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# argon2 ships prebuilt binaries for linux x64/arm64 glibc; build tools are only a fallback.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY test ./test
RUN npm run build \
    && rm -rf dist/test \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# tini forwards SIGTERM to node and reaps zombies, so graceful shutdown works as PID 1.
RUN apt-get update && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The official image's unprivileged user; nothing in /app is writable by it except what it owns.
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
# The image's own Node 24 runs the compiled tree directly (no npm in the signal path).
CMD ["node", "dist/src/main.js"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
