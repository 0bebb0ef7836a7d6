# RehabDesk (社区戒毒康复工作台): build, run and test. GNU make; recipes use bash.
#
#   make run     start the desktop app on the default database
#   make test    go vet, then all tests with -race (under Xvfb when there is no display)
#   make lint    errdiscard (our own check), staticcheck and, when online, govulncheck
#
# `make help` lists every target and the variables that tune them.

SHELL := bash

GO        ?= go
PKGS      ?= ./...
ARGS      ?=
BENCH     ?= .
# Benchmarks that build 100k-person databases are slow, so a fixed small
# count is the default; use BENCHTIME=1s for micro benchmarks.
BENCHTIME ?= 3x
COUNT     ?= 1
FUZZTIME  ?= 30s

# Linters, installed by `make lint` with `go install` at these versions into
# bin/tools (staticcheck 2026.2.2 is module version v0.8.2).
STATICCHECK_VERSION ?= v0.8.2
GOVULNCHECK_VERSION ?= v1.10.0
TOOLS               := $(CURDIR)/bin/tools
# govulncheck reads the Go vulnerability database from here.
VULNDB              ?= https://vuln.go.dev

# The release's identity, stamped into both binaries (rehabdesk version,
# countyd version, the settings page and the sync handshake show it).
VERSION   ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT    := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS   := -X rehabdesk/internal/version.Version=$(VERSION) -X rehabdesk/internal/version.Commit=$(COMMIT) \
	-X rehabdesk/internal/version.Date=$(shell date -u +%Y-%m-%dT%H:%M:%SZ)

# Debian/Ubuntu packages for cgo, OpenGL/X11 headers (go-gl reads `pkg-config gl`)
# and a virtual display for headless tests.
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev xvfb xauth
# What `make dist` and `make dist-check` add: the Windows cross compiler, zip,
# and qemu to run the arm64 server.
DIST_PACKAGES := gcc-mingw-w64-x86-64 zip unzip qemu-user-static

# headless runs $(1) under a virtual X display when there is no display and
# xvfb-run exists (checked when the recipe runs, after deps may have installed
# it), and plainly otherwise, as on macOS and Windows.
headless = if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; \
	then xvfb-run -a -s '-screen 0 1280x1024x24' $(1); else $(1); fi

.DEFAULT_GOAL := help
.PHONY: help deps build run test test-pg lint bench fuzz fmt vet clean dist dist-check dist-deps

help:
	@echo 'make run        start RehabDesk (ARGS="..." passes arguments)'
	@echo 'make test       go vet, then go test -race on every package'
	@echo 'make test-pg    the whole county server suite (sync/server) on PostgreSQL, as make test runs a part of it'
	@echo 'make lint       errdiscard, staticcheck $(STATICCHECK_VERSION), govulncheck $(GOVULNCHECK_VERSION) (skipped offline)'
	@echo 'make build      bin/rehabdesk and bin/countyd (countyd without cgo)'
	@echo 'make dist       release files in dist/: Windows zip, .deb, countyd for linux amd64/arm64 and Windows, SHA256SUMS'
	@echo 'make dist-check check dist/ as a target machine would (PE resources, dpkg install, arm64 under qemu)'
	@echo 'make bench      benchmarks (BENCH=$(BENCH) BENCHTIME=$(BENCHTIME) COUNT=$(COUNT))'
	@echo 'make fuzz       each Fuzz target for FUZZTIME=$(FUZZTIME)'
	@echo 'make deps       check (on Debian/Ubuntu: install) the C toolchain, GL/X11 headers, Xvfb'
	@echo 'make fmt | vet | clean'

# deps checks what cgo and the GUI tests need; see DEPS_SH below.
deps:
	@bash -c "$$DEPS_SH" deps $(APT_PACKAGES)

# The desktop binary gets the build tag that `fyne build` derives from
# [Migrations] fyneDo = true in FyneApp.toml. main.go sets that migration in
# the app's metadata itself, so a plain `go build` behaves the same; the tag
# only swaps Fyne's thread-safe internal queues for single-threaded ones.
build: deps
	$(GO) build -tags migrated_fynedo -ldflags '$(LDFLAGS)' -o bin/rehabdesk .
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o bin/countyd ./cmd/countyd

# dist builds the release files (packaging/dist.sh says which); dist-check
# installs and runs them as a township's or a county's machine would.
dist: deps dist-deps
	VERSION=$(VERSION) bash packaging/dist.sh

dist-check: dist
	VERSION=$(VERSION) bash packaging/dist-check.sh

# dist-deps installs the cross compiler, zip and qemu on Debian/Ubuntu when a
# tool is missing, and elsewhere names the packages.
dist-deps:
	@missing=0; for t in x86_64-w64-mingw32-gcc zip unzip qemu-aarch64-static dpkg-deb; do \
		command -v $$t >/dev/null 2>&1 || { echo "make dist: missing $$t" >&2; missing=1; }; done; \
	[ $$missing = 0 ] && exit 0; \
	command -v apt-get >/dev/null || { echo "install: $(DIST_PACKAGES)" >&2; exit 1; }; \
	sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DIST_PACKAGES)

# `go run` reads FyneApp.toml from the working directory, this one.
run: deps
	$(GO) run . $(ARGS)

# go test stops a package after 10 minutes by default; on a busy 2-core
# machine the largest packages (cmd/countyd, sync/client) can pass that
# under -race, so the limit is raised rather than failing a slow machine.
TEST_TIMEOUT ?= 30m

test: deps
	$(GO) vet $(PKGS)
	$(call headless,$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(PKGS))

# test-pg runs every sync/server test on PostgreSQL (a throwaway cluster,
# internal/pgtest; the postgresql package must be installed). make test runs
# the server's suite on SQLite, and only the tests that guard pushing,
# pulling, authorization, several servers on one database and migration on
# both.
test-pg:
	COUNTYD_TEST_PG=1 $(GO) test -race -count=1 ./sync/server

# lint runs three checks over $(PKGS):
#   errdiscard   (internal/lint/errdiscard) tests that throw away the error of
#                a query, `x, _ := s.Stats(ctx)` or an unchecked Scan;
#   staticcheck  bugs, simplifications, deprecated APIs;
#   govulncheck  known vulnerabilities in the code paths we call. It needs the
#                vulnerability database online: without it, it is skipped
#                with a message, so an offline build does not fail for that.
lint: deps
	$(GO) build -o $(TOOLS)/errdiscard ./internal/lint/cmd/errdiscard
	$(GO) vet -vettool=$(TOOLS)/errdiscard $(PKGS)
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(TOOLS)/staticcheck $(PKGS)
	GOBIN=$(TOOLS) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	@if curl -fsS -m 10 -o /dev/null $(VULNDB)/index/db.json 2>/dev/null; then \
		echo '$(TOOLS)/govulncheck -db $(VULNDB) $(PKGS)'; \
		$(TOOLS)/govulncheck -db $(VULNDB) $(PKGS); \
	else \
		echo 'make lint: govulncheck SKIPPED: the vulnerability database $(VULNDB) cannot be reached (offline, or no curl)'; \
	fi

bench: deps
	$(call headless,$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime=$(BENCHTIME) -count=$(COUNT) -timeout 30m $(PKGS))

# fuzz lists every Fuzz target per package (`go test -list` prints the names,
# then an "ok <package>" line) and fuzzes each one in turn.
fuzz: deps
	@set -o pipefail; \
	targets=$$($(GO) test -list '^Fuzz' $(PKGS) | \
		awk '/^Fuzz/ { f[n++] = $$1 } /^ok/ { for (i = 0; i < n; i++) print $$2 "@" f[i]; n = 0 }') || exit 1; \
	if [ -z "$$targets" ]; then echo "no Fuzz targets in $(PKGS)"; exit 0; fi; \
	for t in $$targets; do \
		echo "== $${t%@*} $${t#*@} for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*@}\$$" -fuzztime $(FUZZTIME) "$${t%@*}" || exit 1; \
	done

fmt:
	$(GO) fmt $(PKGS)

vet: deps
	$(GO) vet $(PKGS)

clean:
	rm -rf bin/ dist/

# DEPS_SH is the body of `make deps`, run by bash with the Debian package names
# as arguments. It exits 0 when everything is there or was installed with
# apt-get, and otherwise says what to install and exits 1.
define DEPS_SH
have() { command -v "$$1" >/dev/null 2>&1; }
gl_x11_headers() {
	have pkg-config && pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm
}
missing=()
have gcc || have cc || missing+=("C compiler (gcc)")
if [ "$$(uname -s 2>/dev/null)" = Linux ]; then
	have pkg-config || missing+=("pkg-config")
	gl_x11_headers || missing+=("OpenGL and X11 headers")
	have Xvfb || missing+=("Xvfb (virtual display for headless tests)")
	have xauth || missing+=("xauth (used by xvfb-run)")
fi
[ $${#missing[@]} -eq 0 ] && exit 0

echo "make deps: missing:" >&2
printf '  - %s\n' "$${missing[@]}" >&2
if have apt-get; then
	sudo=""
	[ "$$(id -u)" -eq 0 ] || sudo=sudo
	set -x
	$$sudo apt-get update
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$$@"
	exit
fi
cat >&2 <<'EOF'
Install them with your system's package manager, then run make again:
  Fedora:  sudo dnf install gcc pkgconf-pkg-config libXcursor-devel libXrandr-devel mesa-libGL-devel \
               libXi-devel libXinerama-devel libXxf86vm-devel xorg-x11-server-Xvfb xorg-x11-xauth
  Arch:    sudo pacman -S gcc pkgconf libxcursor libxrandr libxinerama libxi libxxf86vm mesa \
               xorg-server-xvfb xorg-xauth
  macOS:   xcode-select --install   (Xcode command line tools: the C compiler; no X11 needed)
  Windows: install MSYS2, then in its MINGW64 shell: pacman -S mingw-w64-x86_64-gcc
           and put C:\msys64\mingw64\bin on PATH
EOF
exit 1
endef
export DEPS_SH
