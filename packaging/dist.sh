#!/usr/bin/env bash
# dist.sh builds the release files into dist/ (see `make dist`):
#   rehabdesk-VERSION-windows-amd64.zip   GUI exe with icon and version resources, 使用说明.txt
#   rehabdesk_VERSION_amd64.deb           for Debian, Ubuntu, 统信UOS, 麒麟 (amd64)
#   countyd-VERSION-linux-amd64.tar.gz    the county server, systemd unit, example settings
#   countyd-VERSION-linux-arm64.tar.gz    the same for ARM servers (鲲鹏, 飞腾)
#   countyd-VERSION-windows-amd64.zip
#   SHA256SUMS                            over every file above
# Needs: go, gcc, x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64), dpkg-deb, zip.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
date=${BUILD_DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
pkg=rehabdesk/internal/version
ldflags="-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date"
winres=github.com/tc-hib/go-winres@v0.3.3

out=dist
stage=$(mktemp -d)
trap 'rm -rf "$stage"; rm -f rsrc_windows_amd64.syso' EXIT
rm -rf "$out" && mkdir -p "$out"

windows_app() {
	echo "== rehabdesk $version windows/amd64"
	# The .syso beside main.go carries the icon, the version information and a
	# manifest; the Go linker picks it up for GOOS=windows builds only.
	go run "$winres" simply --arch amd64 --out rsrc --icon assets/icon.png --manifest gui \
		--product-name "社区戒毒康复工作台 RehabDesk" --file-description "社区戒毒康复工作台" \
		--product-version "$version" --file-version "$version.0" \
		--original-filename rehabdesk.exe --copyright "RehabDesk developers"
	mkdir -p "$stage/win"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -trimpath -tags migrated_fynedo -ldflags "$ldflags -H=windowsgui" -o "$stage/win/rehabdesk.exe" .
	rm -f rsrc_windows_amd64.syso
	cp packaging/windows/使用说明.txt "$stage/win/"
	(cd "$stage/win" && zip -q -X "$OLDPWD/$out/rehabdesk-$version-windows-amd64.zip" rehabdesk.exe 使用说明.txt)
}

# deb_depends lists the Debian packages that provide the shared libraries
# the binary links against, and the X11 extension libraries GLFW opens at
# run time with dlopen (they are not in the binary's NEEDED list).
glfw_dlopens="libXcursor.so.1 libXrandr.so.2 libXinerama.so.1 libXi.so.6 libXxf86vm.so.1"
deb_depends() {
	{ objdump -p "$1" | awk '/NEEDED/ { print $2 }'; printf '%s\n' $glfw_dlopens; } | while read -r lib; do
		path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
		[ -n "$path" ] || { echo "no $lib on this machine" >&2; exit 1; }
		dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path"
	done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g'
}

debian_app() {
	echo "== rehabdesk $version .deb (linux/amd64)"
	local root="$stage/deb"
	mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" \
		"$root/usr/share/icons/hicolor/512x512/apps" "$root/usr/share/doc/rehabdesk"
	CGO_ENABLED=1 go build -trimpath -tags migrated_fynedo -ldflags "$ldflags" -o "$root/usr/bin/rehabdesk" .
	install -m 0644 packaging/deb/rehabdesk.desktop "$root/usr/share/applications/cn.gov.guizhou.rehabdesk.desktop"
	install -m 0644 assets/icon.png "$root/usr/share/icons/hicolor/512x512/apps/rehabdesk.png"
	install -m 0644 assets/fonts/LICENSE "$root/usr/share/doc/rehabdesk/copyright"
	local size
	size=$(du -sk "$root/usr" | cut -f1)
	sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$(deb_depends "$root/usr/bin/rehabdesk")/" \
		packaging/deb/control.in >"$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/rehabdesk_${version}_amd64.deb" >/dev/null
}

server() { # server GOOS GOARCH
	local os=$1 arch=$2 name="countyd-$version-$1-$2" exe=countyd
	local dir="$stage/$name"
	[ "$os" = windows ] && exe=countyd.exe
	echo "== countyd $version $os/$arch"
	mkdir -p "$dir"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$dir/$exe" ./cmd/countyd
	cp packaging/countyd/countyd.env.example "$dir/"
	if [ "$os" = windows ]; then
		(cd "$dir" && zip -q -X "$OLDPWD/$out/countyd-$version-$os-$arch.zip" "$exe" countyd.env.example)
	else
		cp packaging/countyd/countyd.service "$dir/"
		tar -C "$stage" --owner=0 --group=0 -czf "$out/$name.tar.gz" "$name"
	fi
}

windows_app
debian_app
server linux amd64
server linux arm64
server windows amd64
(cd "$out" && sha256sum -- * >SHA256SUMS)
echo "== dist/"
ls -l "$out"
