#!/bin/sh
# Remove Boussole installed by install.sh for the current user.
#
#   sh ~/.local/share/boussole-app/uninstall.sh     (or ./uninstall.sh in the release folder)
#
# It removes exactly what install.sh puts: the folder $XDG_DATA_HOME/boussole-app (the
# application and this copy of the script), the launcher ~/.local/bin/boussole (only if
# install.sh wrote it), and the files named after the application id in
# $XDG_DATA_HOME/applications, metainfo and icons/hicolor/*/apps.
#
# It NEVER removes your work: the workspace ($XDG_DATA_HOME/Boussole/workspace, by default
# ~/.local/share/Boussole/workspace) and the log (~/.local/state/Boussole) stay where they
# are. Delete them yourself if you really want them gone.
#
# install.sh runs it with BOUSSOLE_REPLACING=1 before putting a new version in place:
# then it removes the same files, quietly.
set -eu

APP_ID=org.boussole.Boussole
LAUNCHER_MARK='# boussole-app launcher: written by install.sh, removed by uninstall.sh'

data_home=${XDG_DATA_HOME:-}
case $data_home in
    /*) ;;
    *) data_home=$HOME/.local/share ;;  # unset, empty or relative: the XDG default
esac
app_home=$data_home/boussole-app
launcher=$HOME/.local/bin/boussole
replacing=${BOUSSOLE_REPLACING:-}

# The application folder has a name of its own, never the workspace's parent folder.
case $app_home in
    */boussole-app) ;;
    *) printf 'uninstall.sh: unexpected folder %s, nothing removed\n' "$app_home" >&2; exit 1 ;;
esac
rm -rf "$app_home"
if [ -z "$replacing" ]; then
    rm -rf "$data_home/boussole-app.partial"  # left by an interrupted install.sh
fi

if [ -f "$launcher" ] && grep -qxF "$LAUNCHER_MARK" "$launcher"; then
    rm -f "$launcher"
fi

rm -f "$data_home/applications/$APP_ID.desktop"
rm -f "$data_home/metainfo/$APP_ID.metainfo.xml"
for icon in "$data_home"/icons/hicolor/*/apps/"$APP_ID".png \
    "$data_home"/icons/hicolor/*/apps/"$APP_ID".svg; do
    [ -f "$icon" ] || continue
    rm -f "$icon"
    # The size folders install.sh made, if nothing else is in them now.
    rmdir "$(dirname "$icon")" 2>/dev/null || true
    rmdir "$(dirname "$(dirname "$icon")")" 2>/dev/null || true
done
rmdir "$data_home/metainfo" 2>/dev/null || true

if [ -n "$replacing" ]; then
    exit 0
fi

if [ -d "$data_home/icons/hicolor" ]; then
    touch "$data_home/icons/hicolor"
    if [ -f "$data_home/icons/hicolor/icon-theme.cache" ] &&
        command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f "$data_home/icons/hicolor" || true
    fi
fi
if [ -f "$data_home/applications/mimeinfo.cache" ] &&
    command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" || true
fi

printf 'Boussole is removed.\n'
if [ -d "$data_home/Boussole/workspace" ]; then
    printf 'Your workspace was kept: %s\n' "$data_home/Boussole/workspace"
fi
