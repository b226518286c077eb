# The application's image (README "Deployment"): Python 3.11 slim, the project's dependencies, static files
# collected at build time, run as a user that is not root. It downloads nothing when it runs: build it
# where PyPI (or a mirror: --build-arg PIP_INDEX_URL=...) is reachable, then `docker save` / `docker load`
# it onto the office's server. The same image runs the web server, the worker, the beat and migrations.
FROM python:3.11-slim

ARG PIP_INDEX_URL
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# What the official documents' PDFs need (documents/rendering.py): Pango for WeasyPrint's layout, and a CJK
# font to embed (WenQuanYi Micro Hei: small subsets). Installed at build time like everything else.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, a layer rebuilt only when pyproject.toml changes. psycopg2-binary brings its own
# libpq, so no compiler or system library is needed; the install brings only the dependencies
# (pyproject.toml: packages = []).
COPY pyproject.toml ./
RUN pip install .

COPY . .
# Static files into STATIC_ROOT (var/staticfiles) with whitenoise's hashed and compressed copies. The key
# exists only for this command. Compiled translations (locale/*.mo) are committed, so no gettext here.
# Then the user the processes run as: it may write only var/ (the beat's schedule) and var/media (the
# uploads volume); the code and the static files stay root's.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v0 \
    && rm -rf var/celery-broker \
    && groupadd --system --gid 10001 correction \
    && useradd --system --uid 10001 --gid correction --home-dir /app --no-create-home correction \
    && mkdir -p var/media \
    && chown correction:correction var var/media

USER correction
EXPOSE 8000
# Workers, threads and timeouts: config/gunicorn.py (WEB_CONCURRENCY, WEB_THREADS); more options in
# GUNICORN_CMD_ARGS.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-"]
