package report

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"rehabdesk/store"
)

// The yearly targets (年度目标) are set at the county (countyd target) and
// reach the township's devices with every sync: the township shows them,
// the county compares its year to date with them (YearToDate). A township
// without targets gives no verdict.

// countyTargetsKey keeps the county's targets on a device (sync state:
// figures the county sent, not a record the township edits).
const countyTargetsKey = "county.targets"

// YearTarget is one target the county set for a year.
type YearTarget struct {
	Year  int    `json:"year"`
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// maxTargetValue bounds a target: a percentage or a count of persons.
const maxTargetValue = 10_000_000

// SaveCountyTargets keeps the targets the county sent in place of those
// kept before. Targets of a name the program does not know, or out of
// bounds, are left out: they come from another program's county server.
func SaveCountyTargets(ctx context.Context, s *store.Store, ts []YearTarget) error {
	kept := []YearTarget{}
	for _, t := range ts {
		if knownTarget(t.Name) && t.Year >= 2000 && t.Year <= 2200 && t.Value >= 0 && t.Value <= maxTargetValue {
			kept = append(kept, t)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	return s.SetSyncState(ctx, map[string]string{countyTargetsKey: string(b)})
}

// CountyTargets are the targets the county set for a year, by name, as
// last received; none before the first sync with a county that sets them.
func CountyTargets(ctx context.Context, s *store.Store, year int) (map[string]int, error) {
	v, err := s.SyncState(ctx, countyTargetsKey)
	if err != nil || v == "" {
		return map[string]int{}, err
	}
	var ts []YearTarget
	if err := json.Unmarshal([]byte(v), &ts); err != nil {
		return nil, fmt.Errorf("county targets: %w", err)
	}
	out := map[string]int{}
	for _, t := range ts {
		if t.Year == year {
			out[t.Name] = t.Value
		}
	}
	return out, nil
}

func knownTarget(name string) bool {
	for _, d := range TargetDefs {
		if d.Name == name {
			return true
		}
	}
	return false
}

// targetsNote is the township workbook's line on the year's targets: the
// county's, as set, or that there are none and so no verdict.
func targetsNote(lang string, year int, targets map[string]int) string {
	if len(targets) == 0 {
		return T(lang, "report.note.no_targets", year)
	}
	var parts []string
	for _, d := range TargetDefs {
		if v, ok := targets[d.Name]; ok {
			parts = append(parts, T(lang, "report.note.target", T(lang, "report.year.target."+d.Name), v))
		}
	}
	return T(lang, "report.note.targets", year, strings.Join(parts, T(lang, "report.list_sep")))
}
