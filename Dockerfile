# Tandem's image. One image runs every process of the stack (see docker-compose.yml): gunicorn
# serving the portal (the default command), `celery -A config worker` and `celery -A config beat`.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

# Pango and HarfBuzz, which WeasyPrint needs to render PDFs; Noto fonts so that every city's
# script prints (fonts-noto-core: Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari...;
# fonts-noto-cjk: Chinese, Japanese, Korean; documents/checks.py checks both); gettext for
# compilemessages.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 1000 tandem \
 && useradd --uid 1000 --gid tandem --create-home --shell /usr/sbin/nologin tandem

WORKDIR /app

# Dependencies first, so that this layer is rebuilt only when they change. No code is here yet,
# so this installs the pinned dependencies (no dev extras) and an empty `tandem` distribution;
# the code itself runs from /app.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt . \
 && rm -rf build tandem.egg-info

COPY . .

# Static files and compiled translations belong to the image. The production settings refuse to
# load without a secret key and allowed hosts, so these two commands get throwaway values; the
# real ones come from the environment when a container starts. locale/ may be missing from a
# checkout while it holds no catalogue, and compilemessages needs it to exist.
RUN export DJANGO_SECRET_KEY=build-time-placeholder-never-used-to-serve DJANGO_ALLOWED_HOSTS=localhost \
 && python manage.py collectstatic --noinput \
 && mkdir -p locale \
 && python manage.py compilemessages \
 && mkdir -p var/media \
 && chown -R tandem:tandem var

# The code stays owned by root; the application writes only under /app/var (media files on a
# volume, the beat schedule).
USER tandem

EXPOSE 8000

# WEB_CONCURRENCY sets gunicorn's worker count; about 2 x CPU cores + 1 is a sensible start.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
