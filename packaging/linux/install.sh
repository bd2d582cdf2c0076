#!/bin/sh
# Install Boussole for the current user, without administrator rights.
#
# Run it from the unpacked release folder:   ./install.sh
# That folder (Boussole-<version>-linux-<machine>/, made by `make package`) holds:
#   Boussole/                                  the application bundle (executable boussole)
#   install.sh, uninstall.sh, README.txt
#   org.boussole.Boussole.desktop, org.boussole.Boussole.metainfo.xml
#   icons/hicolor/<N>x<N>/apps/org.boussole.Boussole.png, icons/boussole.svg
#
# What it puts, and nothing else (uninstall.sh removes exactly these):
#   $XDG_DATA_HOME/boussole-app/Boussole/                 the application (replaced whole)
#   $XDG_DATA_HOME/boussole-app/uninstall.sh              a copy of the uninstaller
#   $HOME/.local/bin/boussole                             the launcher
#   $XDG_DATA_HOME/applications/org.boussole.Boussole.desktop
#   $XDG_DATA_HOME/metainfo/org.boussole.Boussole.metainfo.xml
#   $XDG_DATA_HOME/icons/hicolor/<N>x<N>/apps/org.boussole.Boussole.png, and
#   $XDG_DATA_HOME/icons/hicolor/scalable/apps/org.boussole.Boussole.svg
# ($XDG_DATA_HOME is ~/.local/share when unset.)
#
# Running it again over an older Boussole replaces the application and keeps your work:
# the workspace ($XDG_DATA_HOME/Boussole/workspace) and the log (~/.local/state/Boussole)
# belong to you, and neither this script nor uninstall.sh ever touches them.
set -eu

APP_ID=org.boussole.Boussole
LAUNCHER_MARK='# boussole-app launcher: written by install.sh, removed by uninstall.sh'

fail() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
data_home=${XDG_DATA_HOME:-}
case $data_home in
    /*) ;;
    *) data_home=$HOME/.local/share ;;  # unset, empty or relative: the XDG default
esac
app_home=$data_home/boussole-app
bin_dir=$HOME/.local/bin
launcher=$bin_dir/boussole
staging=$data_home/boussole-app.partial

# --- Check before changing anything -------------------------------------------------------
[ -x "$here/Boussole/boussole" ] ||
    fail "no application next to this script (expected $here/Boussole/boussole)"
[ -f "$here/uninstall.sh" ] || fail "uninstall.sh is missing from $here"
for needed in "$APP_ID.desktop" "$APP_ID.metainfo.xml" icons/boussole.svg; do
    [ -f "$here/$needed" ] || fail "$needed is missing from $here"
done
if [ -e "$launcher" ] && ! grep -qxF "$LAUNCHER_MARK" "$launcher"; then
    fail "$launcher exists and was not written by Boussole; move it away, then run again"
fi

# --- Copy the new application beside the old one first: a failed copy changes nothing ---
trap 'rm -rf "$staging"' EXIT
trap 'exit 1' INT TERM HUP
rm -rf "$staging"
mkdir -p "$staging"
cp -RPp "$here/Boussole" "$staging/Boussole"
cp "$here/uninstall.sh" "$staging/uninstall.sh"
chmod 755 "$staging/uninstall.sh"

# --- Remove the previous version (application and desktop files; never the workspace) ----
if [ -d "$app_home" ] || [ -e "$launcher" ]; then
    printf 'Replacing the Boussole already installed in %s\n' "$app_home"
fi
BOUSSOLE_REPLACING=1 sh "$here/uninstall.sh"

# --- Put the new one in place ------------------------------------------------------------
[ ! -e "$app_home" ] || fail "could not remove the previous version in $app_home"
mv "$staging" "$app_home"

mkdir -p "$bin_dir"
quoted_exe=$(printf '%s\n' "$app_home/Boussole/boussole" | sed "s/'/'\\\\''/g")
{
    printf '#!/bin/sh\n%s\n' "$LAUNCHER_MARK"
    printf "exec '%s' \"\$@\"\n" "$quoted_exe"
} >"$launcher"
chmod 755 "$launcher"

# The desktop file starts the launcher by its full path (~/.local/bin is not always in the
# PATH of a graphical session), quoted as the Desktop Entry specification asks.
exec_arg=$(printf '%s\n' "$launcher" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
mkdir -p "$data_home/applications"
EXEC_LINE="Exec=\"$exec_arg\"" awk '/^Exec=/ { print ENVIRON["EXEC_LINE"]; next } { print }' \
    "$here/$APP_ID.desktop" >"$data_home/applications/$APP_ID.desktop"
chmod 644 "$data_home/applications/$APP_ID.desktop"

mkdir -p "$data_home/metainfo"
cp "$here/$APP_ID.metainfo.xml" "$data_home/metainfo/$APP_ID.metainfo.xml"

for icon in "$here"/icons/hicolor/*/apps/"$APP_ID".png; do
    [ -f "$icon" ] || continue
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$data_home/icons/hicolor/$size/apps"
    cp "$icon" "$data_home/icons/hicolor/$size/apps/$APP_ID.png"
done
mkdir -p "$data_home/icons/hicolor/scalable/apps"
cp "$here/icons/boussole.svg" "$data_home/icons/hicolor/scalable/apps/$APP_ID.svg"

# --- Tell the desktop (only caches that already exist are refreshed; creating a user
# icon cache would hide icons that other programs add later without refreshing it) -------
touch "$data_home/icons/hicolor"
if [ -f "$data_home/icons/hicolor/icon-theme.cache" ] &&
    command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$data_home/icons/hicolor" || true
fi
if [ -f "$data_home/applications/mimeinfo.cache" ] &&
    command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" || true
fi

printf 'Boussole is installed in %s\n' "$app_home/Boussole"
printf 'Start it from the applications menu, or with: %s\n' "$launcher"
case ":${PATH:-}:" in
    *":$bin_dir:"*) ;;
    *) printf 'Note: %s is not in your PATH, so type the full path above, or add it.\n' \
        "$bin_dir" ;;
esac
printf 'Your workspace stays in %s\n' "$data_home/Boussole/workspace"
printf 'To remove Boussole later: sh %s\n' "$app_home/uninstall.sh"
