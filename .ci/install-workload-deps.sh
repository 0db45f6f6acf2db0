#!/usr/bin/env bash
# Installs the Debian 12 packages the inventory-app tests need (real PHP,
# php-fpm, Apache, MariaDB, Chromium and cloud-init). Idempotent: returns at once when every
# package is already installed. CI calls it as root before `npm test`.
set -euo pipefail

PACKAGES=(
  php8.2-cli php8.2-mysql php8.2-curl # the app: PHP 8 with mysqli/mysqlnd and curl
  php8.2-fpm apache2                  # served as on the instances: Apache 2.4 (event MPM) + php-fpm
  mariadb-server                      # mariadbd, mariadb-install-db and the mariadb client
  openssl                             # the tests' CA and server certificate for TLS
  chromium                            # the browser test (driven by playwright-core, never downloaded)
  cloud-init                          # `cloud-init schema` validates the rendered user data
  tar
)

missing=()
for p in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-workload-deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  echo "install-workload-deps: installing ${missing[*]}"
  # Package scripts must not start system services (a MariaDB on 3306, say): the tests start their own.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup() { if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" > /tmp/install-workload-deps.log 2>&1 \
    || { tail -n 50 /tmp/install-workload-deps.log >&2; exit 1; }
fi

# Fail here, with a clear message, rather than in the middle of the tests.
for prog in php /usr/sbin/php-fpm8.2 /usr/sbin/apache2 /usr/sbin/mariadbd mariadb-install-db mariadb openssl chromium cloud-init tar; do
  command -v "$prog" > /dev/null || { echo "install-workload-deps: $prog is still missing" >&2; exit 1; }
done
php_modules="$(php -m)"
for ext in mysqli curl openssl; do
  grep -qx "$ext" <<< "$php_modules" || { echo "install-workload-deps: PHP extension $ext is missing" >&2; exit 1; }
done
echo "install-workload-deps: ok ($(php -r 'echo "PHP ", PHP_VERSION;'), $(/usr/sbin/mariadbd --version | grep -o 'Ver [^ ]*'), $(cloud-init --version 2>&1 | tail -n 1))"
