# Stand-in for redis:7.4-alpine: Debian's redis-server, with the official image's layout (the
# `redis` user uid 999, /data as the working directory) and its entrypoint rule: a
# `redis-server` started without a config file runs with protected mode off, since the
# container network is the boundary.
ARG DEBIAN_IMAGE=shipshape-standin/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN groupadd --system --gid 999 redis && \
    useradd --system --uid 999 --gid redis --home-dir /data --no-create-home redis && \
    apt-get update && \
    apt-get install -y --no-install-recommends redis-server redis-tools && \
    rm -rf /var/lib/apt/lists/* && \
    mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
