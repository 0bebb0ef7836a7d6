package errdiscard_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"rehabdesk/internal/lint/errdiscard"
)

// TestAnalyzer checks the reports against the `// want` comments of
// testdata/src/a: every discarded query error in a test, nothing else.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errdiscard.Analyzer, "a")
}
