package ledger

import "testing"

func TestMergeExtraKeepsOtherColumnsAndHandTypedLines(t *testing.T) {
	old := "户籍派出所：新华路派出所\n家属电话13800000000\n联系电话：12345"
	got := mergeExtra(old, []extraItem{{"户籍派出所", "南明派出所"}, {"网格员", "王芳\n（兼）"}}, dropped(ColPhone))
	want := "户籍派出所：南明派出所\n家属电话13800000000\n网格员：王芳 （兼）"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if mergeExtra(want, nil, 0) != want {
		t.Fatal("merging nothing must change nothing")
	}
}

func dropped(cs ...Column) columnSet {
	var s columnSet
	for _, c := range cs {
		s.add(c)
	}
	return s
}
