package main

import "rehabdesk/internal/i18n"

// wbT is the workbench's text of a key in a language, falling back to
// Chinese and then to the key (assets/translations/workbench, loaded by
// internal/i18n with every other area).
func wbT(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }
