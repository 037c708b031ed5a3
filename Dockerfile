# syntax=docker/dockerfile:1.7
# The CRM's images, from one build: `api` (serving the built web app), `worker`, and `migrate`
# (one-shot: migrations as the owner role, then crm_app's password). All three run the same
# production artefact, `pnpm deploy --prod` of @crm/api (which holds @crm/worker and @crm/db),
# as the non-root user `node`. scripts/verify-artefact.mjs runs that artefact in CI (no container
# engine there); scripts/lint-containers.mjs checks this file.
#
#   docker build --target api -t crm/api .      (worker, migrate likewise; docker compose builds all three)

# ---- build: install, build the web app, assemble the artefact ---------------------------------
FROM node:20.20.2-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install --global pnpm@10.34.9
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter @crm/web build \
 && pnpm --filter @crm/api deploy --prod --legacy /out/app \
 && cp -r apps/web/dist /out/web

# ---- runtime: the artefact only, no build tools -----------------------------------------------
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
RUN mkdir -p /data/documents && chown node:node /data/documents
WORKDIR /app
COPY --from=build --chown=node:node /out/app /app
USER node

# ---- migrate: prisma migrate deploy as the owner, then CRM_APP_PASSWORD for crm_app -----------
FROM runtime AS migrate
HEALTHCHECK NONE
CMD ["node", "node_modules/@crm/db/scripts/migrate-deploy.mjs"]

# ---- worker: outbox relay, JetStream consumers, imports, housekeeping -------------------------
FROM runtime AS worker
# The same documents as the API (the signed contract PDFs it stores, the attachments it sends).
ENV WORKER_HEALTH_PORT=3001 DOCUMENTS_DIR=/data/documents
EXPOSE 3001
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3001/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "node_modules/@crm/worker/src/main.ts"]

# ---- api: tRPC, file routes, and the web app --------------------------------------------------
FROM runtime AS api
COPY --from=build --chown=node:node /out/web /app/web
ENV PORT=3000 WEB_DIST=/app/web DOCUMENTS_DIR=/data/documents
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
