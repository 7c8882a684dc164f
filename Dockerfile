# The app image: the api (default command), the projector and the CLI, built from this repository.
#   docker build -t pipeline-ledger .
# Multi-stage: the build stage has the compilers better-sqlite3 needs and the dev dependencies; the runtime stage has
# the compiled JavaScript and the production dependencies only, and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The CLI on the PATH (`docker compose exec api pipeline-ledger keys create ...`); /data and /keys owned by `node`,
# so that named volumes mounted there start out writable by it.
RUN ln -s /app/dist/apps/cli/src/main.js /usr/local/bin/pipeline-ledger \
  && mkdir -p /data /keys && chown node:node /data /keys
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/apps/api/src/main.js"]
