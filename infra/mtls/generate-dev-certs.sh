#!/bin/sh
# Development PKI for `docker compose -f docker-compose.yml -f docker-compose.mtls.yml up`:
# one CA and, per service, a certificate whose DNS SAN is the service name (the identity the
# other services check), valid for client and server use, plus one random operator token. Each
# service's folder is a SECRETS_DIR: tls.cert, tls.key, tls.ca, admin.token. The `operator`
# folder holds the same for a person on the host (curl), identity `operator`.
#
#   generate-dev-certs.sh [OUT]            # create what is missing (default OUT: /certs)
#   generate-dev-certs.sh [OUT] --rotate   # new certificates and keys, same CA and token
#
# Files are written to a temporary name and renamed over the old one, key first: a running
# service reloads them without a restart (a new certificate with the old key is refused until
# the key arrives). Development only: the CA key stays beside the certificates.
set -eu

out=${1:-/certs}
mode=${2:-}
days=${CERT_DAYS:-30}
services=${SERVICES:-user order payment operator}
umask 077

ca="$out/ca"
mkdir -p "$ca"
if [ ! -s "$ca/ca.key" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$ca/ca.key.tmp"
  openssl req -x509 -new -key "$ca/ca.key.tmp" -sha256 -days 365 -subj "/CN=Shipshape development CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$ca/ca.cert.tmp"
  mv "$ca/ca.key.tmp" "$ca/ca.key"
  mv "$ca/ca.cert.tmp" "$ca/ca.cert"
  echo "generated the development CA"
fi
if [ ! -s "$ca/admin.token" ]; then
  openssl rand -hex 24 > "$ca/admin.token.tmp"
  mv "$ca/admin.token.tmp" "$ca/admin.token"
fi

# put FILE DIR NAME: copy FILE to DIR/NAME through a temporary name (never half-written).
put() {
  cp "$1" "$2/.$3.tmp"
  chmod 0400 "$2/.$3.tmp"
  mv -f "$2/.$3.tmp" "$2/$3"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for service in $services; do
  dir="$out/$service"
  mkdir -p "$dir"
  if [ -s "$dir/tls.cert" ] && [ "$mode" != "--rotate" ]; then
    echo "$service: certificate present (use --rotate to renew)"
    continue
  fi
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/ec.key"
  openssl pkcs8 -topk8 -nocrypt -in "$work/ec.key" -out "$work/$service.key"
  openssl req -new -key "$work/$service.key" -subj "/CN=$service" -out "$work/$service.csr"
  cat > "$work/$service.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$service
EXT
  openssl x509 -req -in "$work/$service.csr" -CA "$ca/ca.cert" -CAkey "$ca/ca.key" -CAcreateserial \
    -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/$service.ext" -out "$work/$service.cert"
  put "$work/$service.key" "$dir" tls.key
  put "$work/$service.cert" "$dir" tls.cert
  put "$ca/ca.cert" "$dir" tls.ca
  put "$ca/admin.token" "$dir" admin.token
  echo "$service: certificate $(openssl x509 -in "$dir/tls.cert" -noout -serial) valid $days days"
done
