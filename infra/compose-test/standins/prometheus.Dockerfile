# Stand-in for prom/prometheus: Debian's prometheus (2.42) with the official image's layout
# (the binary as entrypoint, the `nobody` user, /prometheus for the TSDB, busybox-like wget
# for the compose health check).
ARG DEBIAN_IMAGE=shipshape-standin/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update && \
    apt-get install -y --no-install-recommends prometheus wget && \
    rm -rf /var/lib/apt/lists/* && \
    mkdir -p /prometheus /etc/prometheus && chown -R nobody:nogroup /prometheus
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
