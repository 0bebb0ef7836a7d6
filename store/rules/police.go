package rules

import (
	"regexp"
	"strconv"
	"strings"

	"rehabdesk/store"
)

// PoliceFigures are the police's own yearly statistics for the township,
// entered by hand as settings ("rules.police_found_2026" = "123"). They are
// shown as entered, never guessed from the township's files. Keys are
// "<what>_<year>" with what one of found (查处人数), registered (年初在册人数)
// and compulsory (强制隔离戒毒人数).
type PoliceFigures map[string]int

// policeName matches the setting names of police figures.
var policeName = regexp.MustCompile(`^police_(found|registered|compulsory)_((?:19|20)\d\d)$`)

// IsPoliceFigure reports whether a setting name (after SettingPrefix) is a
// police figure, such as "police_found_2016".
func IsPoliceFigure(name string) bool { return policeName.MatchString(name) }

// PoliceFiguresFrom reads the police figures among setting records; a value
// that is not a whole number ≥ 0 is left out, as for thresholds.
func PoliceFiguresFrom(settings []*store.Record) PoliceFigures {
	out := PoliceFigures{}
	for _, r := range settings {
		name, ok := strings.CutPrefix(r.Get("key"), SettingPrefix)
		if !ok || !IsPoliceFigure(name) {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(r.Get("value"))); err == nil && n >= 0 {
			out[strings.TrimPrefix(name, "police_")] = n
		}
	}
	return out
}
