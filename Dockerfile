# pipeline-relay: docker build -t pipeline-relay . (see the README's "Running it in a container")
ARG NODE_VERSION=22

# Production dependencies only. better-sqlite3 compiles when no prebuilt binary fits, hence the toolchain here.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# Compile TypeScript with the dev dependencies; nothing of this stage but dist/ reaches the image.
FROM deps AS build
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    RELAY_CONFIG=/config/relay.yml \
    RELAY_DATABASE=/data/relay.sqlite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json app.yml ./
# The SQLite file lives on a volume owned by the unprivileged `node` user of the base image.
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# node, not curl: the slim image has no curl, and node is what runs anyway.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start` without the build: start-up checks, then the app; a bad key, PORT or relay.yml stops it with one line each.
CMD ["node", "dist/bin/serve.js"]
