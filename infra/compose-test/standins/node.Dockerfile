# Stand-in for node:24-bookworm-slim, for machines that cannot pull images (the compose test
# builds it; users with a registry never need it). The Debian root comes from debootstrap
# (imported as DEBIAN_IMAGE); node and npm are the npm registry's `node@24` and `npm` packages,
# unpacked into the context by the test. Like the official image: node and npm on PATH, a `node`
# user with uid/gid 1000, /usr/local layout.
ARG DEBIAN_IMAGE=shipshape-standin/debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# Test-only: this machine reaches the registries through a TLS-intercepting proxy whose CA is
# in the host's bundle. A real node image does not carry it.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY apt.conf /etc/apt/apt.conf.d/99standin
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    NODE_VERSION=standin
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && \
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && \
    groupadd --gid 1000 node && \
    useradd --uid 1000 --gid node --shell /bin/bash --create-home node && \
    node --version && npm --version
CMD ["node"]
