FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock build-constraints.txt ./
RUN PIP_CONSTRAINT=build-constraints.txt pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN pybabel -q compile -d locale -D django \
    && pybabel -q compile -d locale_overrides -D django \
    && DEBUG=1 STATIC_MANIFEST=true python manage.py collectstatic --noinput -v0 \
    && useradd --create-home --uid 1000 app && mkdir -p var && chown -R app var
USER app

ENV STATIC_MANIFEST=true
EXPOSE 8000
CMD ["gunicorn", "mentoring.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
