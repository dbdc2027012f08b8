# Quartierswerkstatt: migrations at start, then uvicorn workers; PostgreSQL via QW_DATABASE_URL.
# Python packages only from the hashed lock file, npm packages only from package-lock.json (npm ci).
# compose.yaml runs the same image as migration job, app workers and outbox worker (each its own command).
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 QW_ENVIRONMENT=production WEB_CONCURRENCY=2
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir --no-deps .
COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY --from=assets /src/node_modules/htmx.org/dist/htmx.min.js ./static/vendor/htmx.min.js
COPY --from=assets /src/node_modules/swagger-ui-dist/swagger-ui-bundle.js /src/node_modules/swagger-ui-dist/swagger-ui.css ./static/vendor/swagger-ui/
RUN useradd --system --home /app qw && mkdir -p /app/var && chown qw /app/var
USER qw
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# `python -m app serve`: uvicorn worker processes on a socket with TCP_NODELAY (app/web/serve.py). Set
# FORWARDED_ALLOW_IPS to the reverse proxy's address when the container is reachable other than through it.
CMD ["sh", "-c", "python -m app migrate && exec python -m app serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY} --proxy-headers --forwarded-allow-ips=\"${FORWARDED_ALLOW_IPS:-*}\""]
