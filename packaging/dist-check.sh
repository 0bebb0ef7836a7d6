#!/usr/bin/env bash
# dist-check.sh checks the release files that dist.sh wrote into dist/ the way
# a township's or a county's machine would meet them (see `make dist-check`).
set -euo pipefail
cd "$(dirname "$0")/.."

version=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "dist-check: $*" >&2; exit 1; }
ok() { echo "dist-check: ok: $*"; }

check_sums() {
	(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match dist/"
	for f in dist/*; do
		[ "$f" = dist/SHA256SUMS ] || grep -q " ${f#dist/}\$" dist/SHA256SUMS || fail "$f is not in SHA256SUMS"
	done
	ok "SHA256SUMS covers every file"
}

# check_windows reads the exe's PE headers and resource directory.
check_windows() {
	unzip -q -d "$scratch/win" "dist/rehabdesk-$version-windows-amd64.zip"
	[ -f "$scratch/win/使用说明.txt" ] || fail "the Windows zip has no 使用说明.txt"
	go run ./packaging/pecheck "$scratch/win/rehabdesk.exe" "$version"
	ok "rehabdesk.exe is a PE32+ GUI program with icon and version $version"
}

# check_deb installs the package into a scratch root with dpkg and runs it.
check_deb() {
	local deb="dist/rehabdesk_${version}_amd64.deb" root="$scratch/root"
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
	touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
	# --force-depends: the scratch root has none of the libraries the package
	# depends on; that the list is right is checked below.
	dpkg --root="$root" --log=/dev/null --force-depends -i "$deb" >"$scratch/dpkg.log" 2>&1 ||
		{ cat "$scratch/dpkg.log"; fail "dpkg could not install $deb"; }
	dpkg --root="$root" -s rehabdesk | grep -q "^Status: install ok installed" || fail "dpkg did not install $deb"
	for p in libgl1 libx11-6 libxcursor1 libxrandr2 libxi6; do
		dpkg-deb -f "$deb" Depends | grep -qw "$p" || fail "$deb does not depend on $p"
	done
	"$root/usr/bin/rehabdesk" help | grep -q "rehabdesk" || fail "rehabdesk help printed nothing"
	"$root/usr/bin/rehabdesk" version | grep -q "^rehabdesk $version (commit " || fail "rehabdesk version is not $version"
	grep -q "^Name=社区戒毒康复工作台" "$root/usr/share/applications/cn.gov.guizhou.rehabdesk.desktop" ||
		fail "the .desktop entry has no Chinese name"
	[ -f "$root/usr/share/icons/hicolor/512x512/apps/rehabdesk.png" ] || fail "the .deb has no icon"
	ok "the .deb installs with dpkg; rehabdesk help and version run: $("$root/usr/bin/rehabdesk" version)"
}

check_servers() {
	local arch
	for arch in amd64 arm64; do
		tar -C "$scratch" -xzf "dist/countyd-$version-linux-$arch.tar.gz"
		local dir="$scratch/countyd-$version-linux-$arch"
		[ -f "$dir/countyd.service" ] && [ -f "$dir/countyd.env.example" ] || fail "linux/$arch: no unit or settings"
	done
	local got
	got=$("$scratch/countyd-$version-linux-amd64/countyd" version)
	[[ $got == "countyd $version (commit "* ]] || fail "countyd linux/amd64 version: $got"
	got=$(qemu-aarch64-static "$scratch/countyd-$version-linux-arm64/countyd" version)
	[[ $got == "countyd $version (commit "* ]] || fail "countyd linux/arm64 under qemu: $got"
	ok "countyd linux/arm64 answers under qemu-aarch64-static: $got"
	unzip -q -d "$scratch/cw" "dist/countyd-$version-windows-amd64.zip"
	go run ./packaging/pecheck -console "$scratch/cw/countyd.exe" ""
	ok "countyd.exe is a PE32+ console program"
}

[ -d dist ] || fail "no dist/: run make dist first"
check_sums
check_windows
check_deb
check_servers
