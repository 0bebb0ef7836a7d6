package cli

import (
	"bytes"
	"strings"
	"testing"

	"rehabdesk/sync/client"
	"rehabdesk/sync/wire"
)

// TestSyncSummaryTellsOfTheUploadQuota: a sync whose attachments the
// server held back for the day says so in the officer's language, and
// that the records went.
func TestSyncSummaryTellsOfTheUploadQuota(t *testing.T) {
	for lang, want := range map[string]string{"en": "Every record was sent", "zh": "所有记录均已发送"} {
		var out bytes.Buffer
		env := &Env{Stdout: &out, Getenv: func(k string) string { return map[string]string{"REHABDESK_LANG": lang}[k] }}
		printResult(env, client.Result{BlobsSent: 1, BlobsPending: 1, BlobError: &wire.Error{Code: wire.CodeQuota}}, true)
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s summary:\n%s\nwant it to say %q", lang, out.String(), want)
		}
	}
}
