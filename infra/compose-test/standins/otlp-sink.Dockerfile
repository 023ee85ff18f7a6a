# Stand-in for Jaeger: an OTLP/HTTP receiver on 4318 that answers the two Jaeger query API
# calls the compose test makes on 16686 (`/api/services`, `/api/traces?service=`).
ARG NODE_IMAGE=shipshape-standin/node:24
FROM ${NODE_IMAGE}
COPY otlp-sink.mjs /opt/otlp-sink.mjs
USER 10001:10001
EXPOSE 4318 16686
CMD ["node", "/opt/otlp-sink.mjs"]
