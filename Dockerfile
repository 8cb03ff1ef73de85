# CME Track — one image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders PDFs with Pango and HarfBuzz; DejaVu is the embedded font. Tesseract reads
# photographed and scanned certificates (docs/certificate-reading.md). postgresql-client:
# pg_dump and pg_restore for `manage.py backup` and `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      tesseract-ocr tesseract-ocr-eng postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 cmetrack
WORKDIR /app

COPY pyproject.toml README.md ./
COPY cmetrack ./cmetrack
COPY members ./members
COPY credits ./credits
COPY reports ./reports
RUN pip install .

COPY . .
# collectstatic needs settings that load: a throwaway key, only for this build step.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /backups && chown -R cmetrack:cmetrack /app/var /backups

USER cmetrack
EXPOSE 8000
CMD ["gunicorn", "cmetrack.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
