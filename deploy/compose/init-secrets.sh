#!/bin/sh
# Writes the secrets compose.yaml mounts (deploy/compose/secrets/), each once: a file already
# there is kept, so running this again changes nothing. Passwords and keys are random; the
# upstream API key is taken from UPSTREAM_API_KEY when set.
#
# Compose mounts a file secret as it is on this host, owner and mode included, and the
# containers run as other users: the directory is 0700 (no one else on this host reads it),
# its files 0644 (the containers' users can).
set -eu

dir="$(cd "$(dirname "$0")" && pwd)/secrets"
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

random_hex() { # BYTES
  od -An -tx1 -N "$1" /dev/urandom | tr -d ' \n'
}

write() { # NAME VALUE
  if [ -e "$dir/$1" ]; then
    echo "kept    $dir/$1"
    return
  fi
  printf '%s\n' "$2" >"$dir/$1"
  chmod 644 "$dir/$1"
  echo "written $dir/$1"
}

# The URLs repeat the passwords: read back what is kept, so that they always agree.
write postgres_password "$(random_hex 24)"
write database_url "postgres://steward:$(cat "$dir/postgres_password")@postgres:5432/steward"
write redis_password "$(random_hex 24)"
write redis_url "redis://:$(cat "$dir/redis_password")@redis:6379/0"
write bootstrap_admin_key "sk-ant-admin01-$(random_hex 24)"
write audit_anchor_key "$(random_hex 32)"
write upstream_api_key "${UPSTREAM_API_KEY:-replace-with-your-anthropic-api-key}"

if grep -q '^replace-with' "$dir/upstream_api_key"; then
  echo "put your Anthropic API key in $dir/upstream_api_key"
fi
echo "the first admin key (store it in your secrets manager): $dir/bootstrap_admin_key"
