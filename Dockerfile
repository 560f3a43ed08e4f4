# The image docker-compose.yml runs: the official Airflow image plus mediamon's
# locked dependencies and code. The Airflow version here must be the one uv.lock
# pins (tests/test_compose.py checks it), so pip never installs a second Airflow.

# Stage 1: turn uv.lock into a requirements file (exact versions, no dev tools,
# not the project itself: its code is copied below and found via PYTHONPATH).
FROM python:3.11-slim AS requirements
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /src
COPY pyproject.toml uv.lock ./
RUN uv export --frozen --no-dev --no-emit-project --no-hashes -o requirements.txt

# Stage 2: Airflow 3.3.2 on Python 3.11 (pyproject: requires-python >=3.11,<3.12),
# which already ships the Celery, Postgres and Redis providers compose needs.
FROM apache/airflow:3.3.2-python3.11
COPY --from=requirements /src/requirements.txt /tmp/mediamon-requirements.txt
# As the Airflow image docs advise: name apache-airflow==${AIRFLOW_VERSION} (set
# by the base image) so that no dependency can move Airflow itself.
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /tmp/mediamon-requirements.txt

USER root
RUN install -d -o airflow -g 0 -m 775 /opt/mediamon /opt/mediamon/data
USER airflow

# The project root: settings.PROJECT_ROOT, the crawl's working directory
# (scrapy.cfg) and the default config/ all resolve relative to mediamon/.
COPY --chown=airflow:0 pyproject.toml uv.lock scrapy.cfg /opt/mediamon/
COPY --chown=airflow:0 config/ /opt/mediamon/config/
COPY --chown=airflow:0 core/ /opt/mediamon/core/
COPY --chown=airflow:0 mediamon/ /opt/mediamon/mediamon/
COPY --chown=airflow:0 crawlers/ /opt/mediamon/crawlers/
COPY --chown=airflow:0 transforms/ /opt/mediamon/transforms/
COPY --chown=airflow:0 quality/ /opt/mediamon/quality/
COPY --chown=airflow:0 warehouse/ /opt/mediamon/warehouse/
COPY --chown=airflow:0 dags/ /opt/mediamon/dags/

ENV PYTHONPATH=/opt/mediamon \
    MEDIAMON_DATA_DIR=/opt/mediamon/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/mediamon/dags
