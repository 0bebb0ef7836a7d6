//go:build tools

// Package tools pins the module's dependencies in go.mod before every package
// that uses them exists, so parallel work does not fight over go.mod.
package tools

import (
	_ "fyne.io/fyne/v2"
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/container"
	_ "fyne.io/fyne/v2/dialog"
	_ "fyne.io/fyne/v2/lang"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/google/uuid"
	_ "github.com/mozillazg/go-pinyin"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/term"
	_ "golang.org/x/text/width"
	_ "modernc.org/sqlite"
	_ "pgregory.net/rapid"
)
