// Command errdiscard runs the errdiscard check as a go vet tool:
//
//	go build -o bin/errdiscard ./internal/lint/cmd/errdiscard
//	go vet -vettool=bin/errdiscard ./...
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"rehabdesk/internal/lint/errdiscard"
)

func main() { unitchecker.Main(errdiscard.Analyzer) }
