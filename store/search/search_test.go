package search

import (
	"slices"
	"strings"
	"testing"
)

// fixture is a small township whose matches can be listed by hand.
var fixture = []Entry{
	{ID: "p1", Name: "张三", IDNumber: "520102199001010011", Village: "520102003001", Status: "active", MeasureType: "detox", Risk: "high", HasAlert: true, Updated: 5, EndDate: "2027-03-01"},
	{ID: "p2", Name: "单雄", IDNumber: "52010219851231123X", Village: "520102003002", Status: "pending", MeasureType: "rehab", Risk: "low", Updated: 3, EndDate: "2026-05-01"},
	{ID: "p3", Name: "阿依古丽·买买提", IDNumber: "522229197706060021", Village: "520102003001", Status: "active", MeasureType: "rehab", Risk: "medium", Updated: 9},
	{ID: "p4", Name: "李四", IDNumber: "520381200002020031", Status: "completed", MeasureType: "detox", Updated: 1, EndDate: "2025-01-01"},
	{ID: "p5", Name: "吕小梅", IDNumber: "520102198811110042", Village: "520102003002", Status: "active", MeasureType: "detox", Risk: "high", HasAlert: true, Updated: 7, EndDate: "2028-01-01"},
	{ID: "p6", Name: "曾小明", IDNumber: "520102197512120051", Village: "520102003001", Status: "active", MeasureType: "rehab", Risk: "low", Updated: 2, EndDate: "2026-09-09"},
	{ID: "p7", Name: "Tom李", IDNumber: "520102196603030061", Status: "active", Risk: "medium", Updated: 4, EndDate: "2026-01-01"},
	{ID: "p8", Name: "𠮷田", IDNumber: "520102196604040071", Village: "520102003002", Status: "suspended", MeasureType: "detox", Updated: 8, EndDate: "2026-02-02"},
}

func newFixture(t testing.TB) *Index {
	t.Helper()
	x := New()
	x.PutAll(fixture)
	return x
}

// ids returns the IDs of a result in order.
func ids(r Result) []string {
	out := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		out[i] = e.ID
	}
	return out
}

func sortedIDs(r Result) []string {
	return slices.Sorted(slices.Values(ids(r)))
}

func TestSearchText(t *testing.T) {
	x := newFixture(t)
	tests := []struct {
		text string
		want []string
	}{
		{"zs", []string{"p1"}},
		{"zhangsan", []string{"p1"}},
		{"zhang", []string{"p1"}},
		{"张", []string{"p1"}},
		{"三", []string{"p1"}},
		{"zhang san", []string{"p1"}},
		{"zhangs", []string{"p1"}},
		{"zhs", []string{"p1"}},
		{"ZhangSan", []string{"p1"}},
		{"张s", []string{"p1"}},
		{"张san", []string{"p1"}},
		{"ｚｓ", []string{"p1"}},
		{"sx", []string{"p2"}},
		{"dx", []string{"p2"}},
		{"shanxiong", []string{"p2"}},
		{"danxiong", []string{"p2"}},
		{"zxm", []string{"p6"}},
		{"cxm", []string{"p6"}},
		{"xm", []string{"p5", "p6"}},
		{"xiaom", []string{"p5", "p6"}},
		{"xiaomi", []string{"p6"}},
		{"lv", []string{"p5"}},
		{"lxm", []string{"p5"}},
		{"lüxiaomei", []string{"p5"}},
		{"luxiaomei", []string{"p5"}},
		{"aygl", []string{"p3"}},
		{"maimaiti", []string{"p3"}},
		{"古丽·买", []string{"p3"}},
		{"阿依古丽买买提", []string{"p3"}},
		{"li", []string{"p3", "p4", "p7"}},
		{"tomli", []string{"p7"}},
		{"tom", []string{"p7"}},
		{"𠮷", []string{"p8"}},
		{"𠮷t", []string{"p8"}},
		{"0101", []string{"p1"}},
		{"123x", []string{"p2"}},
		{"123X", []string{"p2"}},
		{"1231 123x", []string{"p2"}},
		{"5201", []string{"p1", "p2", "p5", "p6", "p7", "p8"}},
		{"", []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"}},
		{" · ", []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"}},
		{"angsan", nil},
		{"zhangsi", nil},
		{"qq", nil},
		{"张四", nil},
		{"9999", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := x.Search(Query{Text: tt.text})
			got := sortedIDs(r)
			if !slices.Equal(got, tt.want) || r.Total != len(got) {
				t.Errorf("Search(%q) = %v (total %d), want %v", tt.text, got, r.Total, tt.want)
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	x := newFixture(t)
	allow := map[string]bool{"p1": true, "p3": true, "p6": true}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"village", Query{Village: "520102003001"}, []string{"p1", "p3", "p6"}},
		{"unknown village", Query{Village: "999999999999"}, nil},
		{"status", Query{Status: "active"}, []string{"p1", "p3", "p5", "p6", "p7"}},
		{"measure", Query{MeasureType: "rehab"}, []string{"p2", "p3", "p6"}},
		{"risk", Query{Risk: "high"}, []string{"p1", "p5"}},
		{"alerts", Query{OnlyAlerts: true}, []string{"p1", "p5"}},
		{"allowed", Query{Allowed: func(id string) bool { return allow[id] }}, []string{"p1", "p3", "p6"}},
		{"combined", Query{Village: "520102003001", Status: "active", MeasureType: "rehab"}, []string{"p3", "p6"}},
		{"filter and text", Query{Text: "x", Village: "520102003002"}, []string{"p2", "p5"}},
		{"allowed and text", Query{Text: "z", Allowed: func(id string) bool { return allow[id] }}, []string{"p1", "p6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := x.Search(tt.q)
			if got := sortedIDs(r); !slices.Equal(got, tt.want) || r.Total != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, r.Total, tt.want)
			}
		})
	}
}

func TestSearchSort(t *testing.T) {
	x := newFixture(t)
	tests := []struct {
		sort SortKey
		desc bool
		want string
	}{
		{SortName, false, "p3 p4 p5 p2 p7 p6 p1 p8"},
		{SortIDNumber, false, "p7 p8 p6 p2 p5 p1 p4 p3"},
		{SortVillage, false, "p1 p3 p6 p2 p5 p8 p4 p7"},
		{SortVillage, true, "p8 p5 p2 p6 p3 p1 p4 p7"},
		{SortStatus, false, "p1 p3 p5 p6 p7 p4 p2 p8"},
		{SortRisk, false, "p2 p6 p3 p7 p1 p5 p4 p8"},
		{SortRisk, true, "p5 p1 p7 p3 p6 p2 p4 p8"},
		{SortUpdated, false, "p4 p6 p2 p7 p1 p5 p8 p3"},
		{SortUpdated, true, "p3 p8 p5 p1 p7 p2 p6 p4"},
		{SortEndDate, false, "p4 p7 p8 p2 p6 p1 p5 p3"},
		{SortKey(99), false, "p3 p4 p5 p2 p7 p6 p1 p8"},
	}
	for _, tt := range tests {
		r := x.Search(Query{Sort: tt.sort, Desc: tt.desc})
		if got := strings.Join(ids(r), " "); got != tt.want {
			t.Errorf("sort %d desc %v = %s, want %s", tt.sort, tt.desc, got, tt.want)
		}
	}
}

func TestPutReplaces(t *testing.T) {
	x := newFixture(t)
	x.Search(Query{Sort: SortName}) // build an order to be maintained
	e := fixture[0]
	e.Name, e.IDNumber = "王五", "520102199909090099"
	x.Put(e)
	if n := x.Search(Query{Text: "zs"}).Total; n != 0 {
		t.Errorf("old name still found %d times", n)
	}
	if n := x.Search(Query{Text: "0101"}).Total; n != 0 {
		t.Errorf("old ID number still found %d times", n)
	}
	if r := x.Search(Query{Text: "ww"}); !slices.Equal(ids(r), []string{"p1"}) {
		t.Errorf("new name: got %v", ids(r))
	}
	if got, _ := x.Get("p1"); got != e || x.Len() != len(fixture) {
		t.Errorf("Get = %+v, Len = %d", got, x.Len())
	}
	want := "p3 p4 p5 p2 p7 p1 p6 p8" // 王五 sorts as wang before zeng
	if got := strings.Join(ids(x.Search(Query{})), " "); got != want {
		t.Errorf("order after Put = %s, want %s", got, want)
	}
}

func TestRemove(t *testing.T) {
	x := newFixture(t)
	x.Search(Query{Sort: SortUpdated})
	x.Remove("p1")
	x.Remove("nobody")
	if _, ok := x.Get("p1"); ok || x.Len() != len(fixture)-1 {
		t.Fatalf("p1 still there, Len %d", x.Len())
	}
	for k := range numSortKeys {
		r := x.Search(Query{Sort: k})
		if r.Total != len(fixture)-1 || slices.Contains(ids(r), "p1") {
			t.Errorf("sort %d: %v", k, ids(r))
		}
	}
	x.Put(fixture[0])
	if r := x.Search(Query{Text: "zs", Sort: SortUpdated}); r.Total != 1 {
		t.Errorf("re-added entry not found")
	}
}

// TestManySharedReadings guards against matching that is exponential in the
// number of readings sharing a prefix (那 has na, nuo, nei, ne, nai).
func TestManySharedReadings(t *testing.T) {
	x := New()
	x.Put(Entry{ID: "n", Name: strings.Repeat("那", 60)})
	for _, tt := range []struct {
		text string
		want int
	}{
		{strings.Repeat("n", 60), 1},
		{strings.Repeat("n", 59) + "z", 0},
		{strings.Repeat("na", 30) + "nuo", 1},
		{strings.Repeat("那", 100), 0},
		{strings.Repeat("n", 300), 0},
	} {
		if got := x.Search(Query{Text: tt.text}).Total; got != tt.want {
			t.Errorf("%.20s…: %d matches, want %d", tt.text, got, tt.want)
		}
	}
}

func TestPutAllReplaces(t *testing.T) {
	x := newFixture(t)
	e1, e2 := fixture[0], fixture[0]
	e1.Name, e2.Name = "王五", "赵六"
	batch := append(slices.Clone(fixture[1:]), e1, e2, Entry{ID: "p9", Name: "钱七"})
	x.PutAll(batch)
	if x.Len() != len(fixture)+1 {
		t.Fatalf("Len = %d, want %d", x.Len(), len(fixture)+1)
	}
	for text, want := range map[string]int{"zs": 0, "ww": 0, "zl": 1, "qq": 1, "": 9} {
		if got := x.Search(Query{Text: text}).Total; got != want {
			t.Errorf("%q: %d matches, want %d", text, got, want)
		}
	}
	y := New()
	y.PutAll(batch) // an empty index adopts the batch, duplicates included
	if a, b := ids(x.Search(Query{})), ids(y.Search(Query{})); !slices.Equal(a, b) {
		t.Errorf("loaded %v, replaced %v", b, a)
	}
}
