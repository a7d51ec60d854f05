#!/usr/bin/env bash
# Install (or upgrade in place) the village service kiosk from an unpacked bundle.
#
#   sudo ./install.sh                  # from this bundle; Debian packages and missing wheels from the network
#   sudo ./install.sh --offline        # nothing from the network: every wheel from the bundle's wheelhouse
#   sudo ./install.sh --offline BUNDLE # the same, from another unpacked bundle directory or .tar.gz
#   ./install.sh --root DIR            # into DIR instead of / (tests): no users, apt or systemctl
#
# Safe to run twice: the data in /var/lib/kiosk (requests, keys) and /etc/kiosk/kiosk.toml are kept.
set -euo pipefail

APP=village-kiosk
ROOT=""
OFFLINE=0
BUNDLE="$(cd "$(dirname "$0")" && pwd)"

say() { printf 'install: %s\n' "$*"; }
fail() { printf 'install: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --offline)
            OFFLINE=1
            if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then BUNDLE="$2"; shift; fi
            ;;
        --root)
            [ $# -gt 1 ] || fail "--root needs a directory"
            ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"
            shift
            ;;
        -h|--help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) fail "unknown option '$1' (see --help)" ;;
    esac
    shift
done

if [ -f "$BUNDLE" ]; then
    unpacked="$(mktemp -d)"
    trap 'rm -rf "$unpacked"' EXIT
    tar -xzf "$BUNDLE" -C "$unpacked" || fail "cannot unpack $BUNDLE"
    BUNDLE="$(find "$unpacked" -mindepth 1 -maxdepth 1 -type d | head -n1)"
fi
[ -f "$BUNDLE/MANIFEST.sha256" ] || fail "$BUNDLE is not a kiosk bundle (no MANIFEST.sha256)"
(cd "$BUNDLE" && sha256sum --quiet --strict -c MANIFEST.sha256) \
    || fail "the bundle is damaged (checksums differ): copy it again"

OPT="$ROOT/opt/$APP"
ETC="$ROOT/etc/kiosk"
DATA="$ROOT/var/lib/kiosk"
UNITS="$ROOT/etc/systemd/system"
SYSTEM=1
[ -z "$ROOT" ] || SYSTEM=0
if [ "$SYSTEM" = 1 ] && [ "$(id -u)" -ne 0 ]; then
    fail "run as root: sudo $0 $*"
fi

debian_packages() {
    local wanted=() missing=()
    mapfile -t wanted < <(cat "$BUNDLE"/debian-packages.txt "$BUNDLE"/debian-session-packages.txt | grep -v '^\s*\(#\|$\)')
    for pkg in "${wanted[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if compgen -G "$BUNDLE/debs/*.deb" >/dev/null; then
        say "installing Debian packages from the bundle"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$BUNDLE"/debs/*.deb
    elif [ "$OFFLINE" = 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        fail "offline, and these Debian packages are missing: ${missing[*]} (put their .deb files in $BUNDLE/debs)"
    fi
}

kiosk_user() {
    getent group kiosk >/dev/null || groupadd --system kiosk
    if ! id kiosk >/dev/null 2>&1; then
        useradd --system --gid kiosk --home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin kiosk
    fi
    for group in video audio input render dialout; do
        getent group "$group" >/dev/null && usermod -aG "$group" kiosk
    done
}

python_env() {
    local python=${KIOSK_INSTALL_PYTHON:-python3}
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || fail "Python 3.11 or newer is needed"
    [ -x "$OPT/venv/bin/python" ] || "$python" -m venv "$OPT/venv"
    local index=() wanted
    [ "$OFFLINE" = 1 ] && index=(--no-index)
    wanted="$APP==$(cat "$BUNDLE/VERSION")"
    # First whatever the kiosk needs that is missing, then the kiosk's own files afresh (same version or not).
    "$OPT/venv/bin/python" -m pip install -q "${index[@]}" --find-links "$BUNDLE/wheelhouse" "$wanted" \
        && "$OPT/venv/bin/python" -m pip install -q --no-index --find-links "$BUNDLE/wheelhouse" \
            --no-deps --force-reinstall "$wanted" \
        || fail "pip could not install the kiosk from $BUNDLE/wheelhouse"
}

shared_files() {
    mkdir -p "$OPT/bin"
    local fresh="$OPT/share.new"
    rm -rf "$fresh"
    mkdir -p "$fresh"
    cp -a "$BUNDLE/assets" "$BUNDLE/offline_cache" "$BUNDLE/README.md" "$fresh/"
    rm -rf "$OPT/share.old"
    [ ! -d "$OPT/share" ] || mv "$OPT/share" "$OPT/share.old"
    mv "$fresh" "$OPT/share"
    rm -rf "$OPT/share.old"
    install -m 0755 "$BUNDLE/session/kiosk-session" "$OPT/bin/"
}

# The technician's `kiosk` command (kiosk doctor, kiosk config check, kiosk logs export, ...): this
# installation's paths, and run as the kiosk user with its own sound server, as the screen is, so
# that nothing in the data directory becomes root's.
technician_command() {
    install -d "$ROOT/usr/local/bin"
    cat > "$ROOT/usr/local/bin/kiosk.new" <<WRAPPER
#!/bin/sh
export KIOSK_CONFIG="$ETC/kiosk.toml" KIOSK_DATA_DIR="$DATA" KIOSK_SHARE_DIR="$OPT/share"
if [ "\$(id -u)" = 0 ] && id kiosk >/dev/null 2>&1; then
    exec runuser -u kiosk -- env XDG_RUNTIME_DIR="/run/user/\$(id -u kiosk)" "$OPT/venv/bin/kiosk" "\$@"
fi
exec "$OPT/venv/bin/kiosk" "\$@"
WRAPPER
    chmod 0755 "$ROOT/usr/local/bin/kiosk.new"
    mv "$ROOT/usr/local/bin/kiosk.new" "$ROOT/usr/local/bin/kiosk"
}

config_and_data() {
    install -d -m 0750 "$ETC"
    install -d -m 0700 "$DATA"
    if [ ! -f "$ETC/kiosk.toml" ]; then
        KIOSK_DATA_DIR="$DATA" KIOSK_SHARE_DIR="$OPT/share" "$OPT/venv/bin/kiosk" config template > "$ETC/kiosk.toml.new"
        chmod 0640 "$ETC/kiosk.toml.new"
        mv "$ETC/kiosk.toml.new" "$ETC/kiosk.toml"
        say "wrote $ETC/kiosk.toml: fill in kiosk_id, provincial_url and secret, then: kiosk config check"
    else
        say "kept $ETC/kiosk.toml"
    fi
    if [ "$SYSTEM" = 1 ]; then
        chown root:kiosk "$ETC" "$ETC/kiosk.toml"
        chown -R kiosk:kiosk "$DATA"
    fi
}

voice_model() {
    local archive
    archive="$(find "$BUNDLE/voice-model" -maxdepth 1 -name '*.zip' | head -n1)"
    [ -n "$archive" ] || { say "no voice model in the bundle: touch only until one is installed"; return 0; }
    if [ -d "$DATA/voice-model" ]; then
        say "kept the installed voice model"
        return 0
    fi
    local run=()
    [ "$SYSTEM" = 1 ] && run=(runuser -u kiosk --)
    "${run[@]}" env KIOSK_DATA_DIR="$DATA" "$OPT/venv/bin/kiosk" voice install-model "$archive"
}

# The county's dialect recordings: merged over the kiosk's own (a line the station recorded and the
# county did not stays), checked whole before anything changes.
voice_pack() {
    [ -f "$BUNDLE/voice-pack/manifest.json" ] || return 0
    local run=()
    [ "$SYSTEM" = 1 ] && run=(runuser -u kiosk --)
    "${run[@]}" env KIOSK_DATA_DIR="$DATA" KIOSK_SHARE_DIR="$OPT/share" KIOSK_CONFIG="$ETC/kiosk.toml" \
        "$OPT/venv/bin/kiosk" voice pack import "$BUNDLE/voice-pack" || fail "the bundle's voice pack was refused"
}

units() {
    install -d "$UNITS"
    install -m 0644 "$BUNDLE"/systemd/kiosk-ui.service "$BUNDLE"/systemd/kiosk-relay.service "$UNITS/"
    [ "$SYSTEM" = 1 ] || return 0
    systemctl daemon-reload
    systemctl enable kiosk-relay.service kiosk-ui.service
    systemctl set-default graphical.target
    loginctl enable-linger kiosk || true  # the sound server runs in the kiosk user's own manager
    systemctl restart kiosk-relay.service
}

say "installing $APP $(cat "$BUNDLE/VERSION") into ${ROOT:-/}"
if [ "$SYSTEM" = 1 ]; then
    debian_packages
    kiosk_user
fi
python_env
shared_files
technician_command
config_and_data
voice_model
voice_pack
units
if "$ROOT/usr/local/bin/kiosk" config check; then
    say "done. Reboot to start the kiosk; check the devices with: kiosk doctor"
else
    say "done, but $ETC/kiosk.toml needs the fixes above, then: sudo systemctl restart kiosk-ui kiosk-relay"
fi
