// Package assets holds the files that ship inside the RehabDesk binaries: the
// Guizhou division codes, the CJK font, the application icon and the
// translation files. It only embeds bytes and parses the division tables, so
// it builds without cgo and never imports Fyne; the GUI wraps these bytes in
// Fyne resources itself.
package assets

import (
	"embed"
)

// FontRegular is Droid Sans Fallback (Apache-2.0, see fonts/LICENSE), a single
// TrueType face that covers Latin and CJK, so Chinese renders the same on a
// machine with no CJK system font and screenshots match across machines.
//
// It is deliberately a single .ttf face and not a .ttc collection: Fyne
// parses theme fonts with a single-face parser, and a collection fails to load.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var FontRegular []byte

// Icon is the 512×512 PNG application icon, also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte

// Translations holds the Fyne language files translations/<area>/<lang>.json
// (one folder per part of the program, so parts are translated independently), each a
// JSON object of translation key to text, for lang.AddTranslationsFS.
//
//go:embed translations
var Translations embed.FS
