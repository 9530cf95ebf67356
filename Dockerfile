# The image compose.yaml runs as web, worker and scheduler (see README, "Production").
FROM python:3.11-slim
# WeasyPrint lays the PDFs out with Pango; poppler is not needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md manage.py gunicorn.conf.py Procfile ./
COPY goldenthread ./goldenthread
RUN pip install --no-cache-dir .
# Static files are built into the image, once, with their hashed names and manifest.
ENV GT_STATIC_ROOT=/app/static GT_DATA_DIR=/data PYTHONUNBUFFERED=1
RUN GT_MODE=production SECRET_KEY=only-for-collectstatic-at-build ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput --verbosity 0
RUN useradd --system --home /data goldenthread && mkdir -p /data && chown goldenthread /data
USER goldenthread
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
