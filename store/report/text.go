package report

import "rehabdesk/internal/i18n"

// T formats the text of a key in a language ("zh" or "en"), falling back
// to Chinese and then to the key (internal/i18n holds the table).
func T(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }
