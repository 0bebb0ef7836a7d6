// Package pdfread reads PDFs back in tests with poppler's tools, a reader
// independent of the library that wrote them: pdftotext for the text and
// pdftoppm for a page rendered to an image, compared with a golden image
// within a tolerance.
package pdfread

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Available reports whether poppler's pdftotext and pdftoppm can run here.
func Available() bool {
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return false
		}
	}
	return true
}

// Need skips the test when poppler-utils is missing, except under CI
// (CI=true), where .ci/run installs it and a missing reader is a failure.
func Need(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("poppler-utils is missing under CI: .ci/run should install it")
	}
	t.Skip("poppler-utils not installed (apt-get install poppler-utils); the PDF read-back checks are skipped")
}

// Text returns the text pdftotext extracts from a PDF, in reading order.
func Text(pdf []byte) (string, error) {
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pdftotext refused the pdf: %w: %s", err, stderr.String())
	}
	if stderr.Len() > 0 { // poppler complains on stderr about a damaged file
		return "", fmt.Errorf("pdftotext: %s", stderr.String())
	}
	return string(out), nil
}

// FirstPage renders a PDF's first page in grey at dpi with pdftoppm.
func FirstPage(pdf []byte, dpi int) (image.Image, error) {
	dir, err := os.MkdirTemp("", "pdfread")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "page")
	cmd := exec.Command("pdftoppm", "-f", "1", "-l", "1", "-r", fmt.Sprint(dpi), "-gray", "-png", "-singlefile", in, out)
	if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
		return nil, fmt.Errorf("pdftoppm refused the pdf: %v: %s", err, msg)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}
