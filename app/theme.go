package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"rehabdesk/assets"
)

// Theme choices stored in the preferences.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

var fontResource = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.FontRegular)

// IconResource is the application icon.
var IconResource = fyne.NewStaticResource("icon.png", assets.Icon)

// rehabTheme is Fyne's default theme with the bundled CJK font for every
// text style, so Chinese renders on machines without a CJK system font,
// and an optional fixed light or dark variant.
type rehabTheme struct {
	fyne.Theme
	mode string // ThemeSystem, ThemeLight or ThemeDark
}

var _ fyne.Theme = (*rehabTheme)(nil)

func newTheme(mode string) *rehabTheme {
	return &rehabTheme{Theme: theme.DefaultTheme(), mode: mode}
}

// Font returns the bundled face for every style: it has one weight only,
// and a bold or monospace system face could lack CJK glyphs.
func (t *rehabTheme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

// Color applies the officer's light/dark choice over the system's.
func (t *rehabTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.mode {
	case ThemeLight:
		v = theme.VariantLight
	case ThemeDark:
		v = theme.VariantDark
	}
	return t.Theme.Color(n, v)
}

// Size makes text a little larger than Fyne's default: Chinese characters
// at 14 px are hard to read on the small laptop screens of township offices.
func (t *rehabTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 15
	}
	return t.Theme.Size(n)
}
