# syntax=docker/dockerfile:1
# plan-sync's Probot server. Build: docker build -t plan-sync .   Run: see docs/operating.md.
#
# Node 24 (LTS, supported until April 2028) is the newest release line the project is tested on; Node 22
# leaves support in April 2027.
ARG NODE_VERSION=24

# ── build: compile TypeScript with the dev dependencies ────────────────────────────────────────────────
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.ts ./scripts/
COPY src ./src
RUN npm run build

# ── runtime: production dependencies and the compiled app only ─────────────────────────────────────────
FROM node:${NODE_VERSION}-slim AS runtime
# tini as PID 1 forwards SIGTERM to node and reaps children, so `docker stop` stops the server at once.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY app.yml ./
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Slim images have no curl: ask with Node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# `npm start` would compile first; the image runs the compiled entry directly, with node (not npm) receiving signals.
# dist/runtime/main.js is `probot run ./dist/runtime/server.js` with our Octokit class (rate limits waited out).
CMD ["node", "dist/runtime/main.js"]
