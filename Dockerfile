# syntax=docker/dockerfile:1
# jiping（绩评）: the API and the console it serves (apps/web, built into dist/web) as a small Node 20 image.
#   docker build -t jiping .
# Stage 1 builds with the toolchain the native SQLite module (better-sqlite3) needs; stage 2 keeps only what runs:
# dist/ and the production node_modules, as the non-root user "node".

FROM node:20-bookworm-slim AS build
WORKDIR /app
# python3, make and g++: node-gyp builds better-sqlite3 against this image's Node when no prebuilt binary fits
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# every dependency as the lockfile pins it (the build needs the dev ones); lifecycle scripts wait for the sources
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY . .
# the API, its scoring workers, the CLI and the console's static files (vite → dist/web), then only the production
# dependencies remain
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/bin ./bin
# SQLite (one instance, DB_TYPE=sqlite) keeps its file here; the application itself stays read-only to its user
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
