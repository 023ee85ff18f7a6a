#!/bin/sh
# The official image's rule: no config file given → protected mode off.
set -e
if [ "$1" = redis-server ] && ! echo "$2" | grep -q '\.conf$'; then
  shift
  set -- redis-server "$@" --protected-mode no
fi
exec "$@"
