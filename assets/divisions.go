package assets

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Division is one administrative unit of Guizhou from the NBS 2023 division
// codes (see divisions/SOURCE.md): a county (6-digit code), a township
// (9 digits) or a village/community (12 digits).
type Division struct {
	Code string
	Name string
	// Parent is the code of the unit one level up: the city (4 digits) for a
	// county, the county for a township, the township for a village.
	Parent string
}

//go:embed divisions/*.csv
var divisionFiles embed.FS

// Code lengths of each level, which also tell the levels apart.
const (
	countyCodeLen   = 6
	townshipCodeLen = 9
	villageCodeLen  = 12
)

// divisionIndex is the parsed division tables, built once on first use.
type divisionIndex struct {
	counties []Division
	byCode   map[string]Division   // every county, township and village
	children map[string][]Division // parent code → children sorted by code
}

var divisions = sync.OnceValue(loadDivisions)

// Counties returns Guizhou's counties (县/区/市) sorted by code.
func Counties() []Division {
	return slices.Clone(divisions().counties)
}

// Townships returns the townships (乡/镇/街道) of a county sorted by code, or
// nil for an unknown county code.
func Townships(county string) []Division {
	return children(county, countyCodeLen)
}

// Villages returns the villages and communities (村/社区) of a township
// sorted by code, or nil for an unknown township code.
func Villages(township string) []Division {
	return children(township, townshipCodeLen)
}

// County looks up a 6-digit county code.
func County(code string) (Division, bool) {
	return lookup(code, countyCodeLen)
}

// Township looks up a 9-digit township code.
func Township(code string) (Division, bool) {
	return lookup(code, townshipCodeLen)
}

// Village looks up a 12-digit village or community code.
func Village(code string) (Division, bool) {
	return lookup(code, villageCodeLen)
}

// Name is the name of a county, township or village code (told apart by
// their lengths), or the code itself when the bundled list lacks it, so
// that a screen or a paper still shows something an officer can look up.
func Name(code string) string {
	for _, n := range []int{villageCodeLen, townshipCodeLen, countyCodeLen} {
		if d, ok := lookup(code, n); ok {
			return d.Name
		}
	}
	return code
}

// CountyOf returns the county code of a 9-digit township code, or "" when the
// code is not nine digits. Division codes nest by prefix, so this also works
// for a township that is newer than the bundled list: codes change over time
// and an unknown code is a warning, not an error.
func CountyOf(townshipCode string) string {
	if len(townshipCode) != townshipCodeLen || !allDigits(townshipCode) {
		return ""
	}
	return townshipCode[:countyCodeLen]
}

func lookup(code string, codeLen int) (Division, bool) {
	if len(code) != codeLen {
		return Division{}, false
	}
	d, ok := divisions().byCode[code]
	return d, ok
}

func children(parent string, parentLen int) []Division {
	if len(parent) != parentLen {
		return nil
	}
	return slices.Clone(divisions().children[parent])
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// loadDivisions parses the embedded tables. They ship inside the binary and
// are checked by the tests, so a malformed table is a build defect: panic.
func loadDivisions() *divisionIndex {
	idx := &divisionIndex{
		byCode:   make(map[string]Division, 20000),
		children: make(map[string][]Division, 2000),
	}
	idx.counties = idx.add(mustReadTable("counties.csv", "cityCode"))
	idx.add(mustReadTable("townships.csv", "areaCode"))
	idx.add(mustReadTable("villages.csv", "streetCode"))
	for parent := range idx.children {
		slices.SortFunc(idx.children[parent], byCode)
	}
	slices.SortFunc(idx.counties, byCode)
	return idx
}

func (idx *divisionIndex) add(ds []Division) []Division {
	for _, d := range ds {
		idx.byCode[d.Code] = d
		idx.children[d.Parent] = append(idx.children[d.Parent], d)
	}
	return ds
}

func byCode(a, b Division) int {
	return cmp.Compare(a.Code, b.Code)
}

func mustReadTable(name, parentColumn string) []Division {
	ds, err := readTable(name, parentColumn)
	if err != nil {
		panic(fmt.Sprintf("assets: embedded divisions: %v", err))
	}
	return ds
}

// readTable reads the code, name and parentColumn columns of one embedded
// CSV file with a header row.
func readTable(name, parentColumn string) ([]Division, error) {
	data, err := divisionFiles.ReadFile("divisions/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s header: %w", name, err)
	}
	col, err := columns(header, "code", "name", parentColumn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var ds []Division
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return ds, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ds = append(ds, Division{Code: rec[col[0]], Name: rec[col[1]], Parent: rec[col[2]]})
	}
}

// columns returns the index of each wanted column in header.
func columns(header []string, want ...string) ([]int, error) {
	idx := make([]int, len(want))
	for i, w := range want {
		idx[i] = slices.Index(header, w)
		if idx[i] < 0 {
			return nil, fmt.Errorf("no column %q", w)
		}
	}
	return idx, nil
}
