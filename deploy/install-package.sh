#!/bin/sh
# Installs a packed Steward (`npm pack`'s .tgz) into DIR as production runs it: no dev
# dependencies, owned by the user who runs this script. The image (Dockerfile) and CI
# (.ci/package-check) both call this script, so CI runs the image's install step itself.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: install-package.sh TARBALL DIR" >&2
  exit 2
fi
tarball="$1"
dir="$2"

mkdir -p "$dir"
cd "$dir"
# Not `npm init`: it would name the project after the folder, and npm refuses to install a
# package named `steward` into a project named `steward`.
if [ ! -f package.json ]; then
  printf '{ "name": "steward-installation", "private": true }\n' >package.json
fi

# better-sqlite3 builds from source where its prebuilt binary cannot be fetched: against the
# running Node's own headers when they are installed beside it, so nothing is downloaded.
prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node.h" ]; then
  npm_config_nodedir="$prefix"
  export npm_config_nodedir
fi

npm install --omit=dev --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
"$dir/node_modules/.bin/steward" --version
