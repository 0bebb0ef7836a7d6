package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"rehabdesk/internal/cmdline"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

func init() {
	program.Register(command{Name: "serve", Summary: "serve the devices' sync and the county office's workbench at one address",
		Usage: "--db PATH --addr HOST:PORT [--tls-cert FILE --tls-key FILE | --tls] [--hosts NAME,...] [--upload-quota MB]", Run: runServe})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "serve")
	addr := fs.String("addr", "127.0.0.1:8443", "listen address HOST:PORT")
	certFile := fs.String("tls-cert", "", "TLS certificate (PEM); default: a self-signed one next to --db")
	keyFile := fs.String("tls-key", "", "TLS key (PEM)")
	forceTLS := fs.Bool("tls", false, "use TLS on a loopback address too (always on for other addresses)")
	hosts := fs.String("hosts", "", "names of this machine the county office's browsers use for the workbench (comma-separated); its addresses and localhost always work")
	quotaMB := fs.Int64("upload-quota", server.DefaultUploadQuota>>20, "MB of attachments one device may send a day (UTC); the rest waits for the next day")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if db.uploadQuota = *quotaMB << 20; db.uploadQuota < wire.MaxBlob {
		return cmdline.Usagef("--upload-quota must be at least %d (MB): the largest attachment must fit a day", wire.MaxBlob>>20)
	}
	cert, err := serverCert(e, db.certBase(), *addr, *certFile, *keyFile, *forceTLS)
	if err != nil {
		return err
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "https"
	if cert == nil {
		scheme = "http"
	}
	e.log.Info("countyd listening; the county office's workbench is at the same address", "url", fmt.Sprintf("%s://%s/", scheme, ln.Addr()), "db", db.where())
	wb := &workbench{srv: srv, now: time.Now, log: e.log}
	return srv.ServeHandler(ctx, ln, cert, serveMux(srv, wb, append(strings.Split(*hosts, ","), machineAddrs(*addr)...)...))
}

// serveMux sends the sync protocol's paths (/v1/...) to the sync API and
// everything else to the workbench. The workbench alone checks the Host:
// devices reach the server by whatever name or address they enrolled with,
// and prove themselves with their token, not with a browser's cookie.
func serveMux(srv *server.Server, wb *workbench, hosts ...string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("/", wb.handler(hosts...))
	return mux
}

// machineAddrs are the addresses the workbench answers to besides the
// names given: the listen address, and when that is every address
// (0.0.0.0, ::), this machine's own. An address is no rebinding risk: the
// attack needs a name.
func machineAddrs(listen string) []string {
	out := []string{listen}
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || (host != "" && (ip == nil || !ip.IsUnspecified())) {
		return out
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP.String())
		}
	}
	return out
}

// serverCert picks the TLS certificate: the given files, else a
// self-signed one kept next to the database. Plain HTTP is used only on a
// loopback address, where nothing crosses a network.
func serverCert(e *env, db, addr, certFile, keyFile string, forceTLS bool) (*tls.Certificate, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, cmdline.Usagef("--tls-cert and --tls-key go together")
	}
	if certFile == "" && !forceTLS && server.IsLoopback(addr) {
		e.log.Warn("plain HTTP on a loopback address; other addresses always use TLS")
		return nil, nil
	}
	if certFile == "" {
		certFile, keyFile = certPaths(db)
	}
	cert, fp, err := server.LoadOrCreateCert(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	e.log.Info("TLS certificate", "file", certFile, "fingerprint", "sha256:"+fp)
	return &cert, nil
}
