package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"

	"rehabdesk/sync/server"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "serve")
	addr := fs.String("addr", "127.0.0.1:8443", "listen address HOST:PORT")
	certFile := fs.String("tls-cert", "", "TLS certificate (PEM); default: a self-signed one next to --db")
	keyFile := fs.String("tls-key", "", "TLS key (PEM)")
	forceTLS := fs.Bool("tls", false, "use TLS on a loopback address too (always on for other addresses)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	cert, err := serverCert(e, db.path, *addr, *certFile, *keyFile, *forceTLS)
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
	e.log.Info("countyd listening", "url", fmt.Sprintf("%s://%s", scheme, ln.Addr()), "db", db.path)
	return srv.Serve(ctx, ln, cert)
}

// serverCert picks the TLS certificate: the given files, else a
// self-signed one kept next to the database. Plain HTTP is used only on a
// loopback address, where nothing crosses a network.
func serverCert(e *env, db, addr, certFile, keyFile string, forceTLS bool) (*tls.Certificate, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, usageError{"--tls-cert and --tls-key go together"}
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
