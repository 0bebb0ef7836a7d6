package server

import "testing"

// A device's version header is shown on the county's terminal: whatever a
// hostile device sends, only a short printable string is kept.
func TestAppVersionKeepsAShortPrintableString(t *testing.T) {
	for in, want := range map[string]string{
		"0.2.0+1a2b3c4d5e6f":      "0.2.0+1a2b3c4d5e6f",
		"0.2.0\x1b[31m\r\nfake":   "0.2.0[31mfake",
		"":                        "",
		string(make([]byte, 100)): "",
		"1234567890123456789012345678901234567890xyz": "1234567890123456789012345678901234567890",
	} {
		if got := appVersion(in); got != want {
			t.Errorf("appVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
