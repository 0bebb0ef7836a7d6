package ledger

import (
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// entry is one person row, parsed and ready to write.
type entry struct {
	row       int
	id        string                // 18-character ID number
	cells     [numAllColumns]string // cleaned text of each known column
	person    map[string]string     // person fields from non-empty cells
	measure   map[string]string     // type, start_date, planned_end from non-empty cells
	extra     []extraItem           // values for ledger_extra
	events    map[Column]string     // dates (and the test result code) of the optional event columns
	volunteer string                // the volunteer record the row names
	drop      columnSet             // columns whose ledger_extra lines accepted values make obsolete
	sig       uint64                // hash of the whole row, to tell identical duplicates
	problems  []Problem             // warnings
}

// personFields maps the columns stored as they are (after the store's own
// normalisation) to person fields.
var personFields = map[Column]string{
	ColName: "name", ColEthnicity: "ethnicity", ColID: "id_number", ColPhone: "phone",
	ColHousehold: "household_address", ColCurrent: "current_address", ColDrugs: "drug_types",
	ColRisk: "risk", ColEmployment: "employment", ColNotes: "notes", ColWilling: "willing_to_work",
}

// fieldColumn is personFields reversed, to name the column of a store error.
var fieldColumn = func() map[string]Column {
	m := map[string]Column{}
	for c, f := range personFields {
		m[f] = c
	}
	return m
}()

// parser turns rows below a header into entries.
type parser struct {
	l        *layout
	today    time.Time
	villages *villageMap
	idHeader string // headerKey of the ID number column's header
	names    *names // staff, volunteers and grids by name; nil: links are not read
}

func newParser(l *layout, today time.Time, villages *villageMap) *parser {
	return &parser{l: l, today: today, villages: villages, idHeader: headerKey(l.colName(ColID))}
}

// parse reads one row. It returns nil and no problem for a blank row, and
// nil with the reason for a row that cannot be imported.
func (p *parser) parse(row int, cells []string) (*entry, *Problem) {
	if p.skips(cells) {
		return nil, nil
	}
	// Sized for a full row: growing the person map from empty was about a
	// quarter of parsing a large ledger (CPU profile).
	e := &entry{row: row, person: make(map[string]string, len(personFields)+2), measure: make(map[string]string, 4), events: map[Column]string{}}
	for c := range numAllColumns {
		e.cells[c] = clean(c, p.l.cell(cells, c))
	}
	if prob := p.identity(e); prob != nil {
		return nil, prob
	}
	e.extra = p.unknownValues(cells)
	e.sig = e.signature()
	p.checkSex(e)
	p.setPerson(e)
	p.setVillage(e)
	p.setLinks(e)
	p.setMeasure(e)
	p.setEventDates(e)
	return e, nil
}

// skips reports whether parse passes over a row: blank, or the header
// repeated on every printed page. It stops at the first cell with text,
// so that counting the rows of a ledger before parsing them costs little.
func (p *parser) skips(cells []string) bool {
	blank := true
	for c := range numAllColumns {
		if clean(c, p.l.cell(cells, c)) != "" {
			blank = false
			break
		}
	}
	if blank {
		return len(p.unknownValues(cells)) == 0
	}
	id := clean(ColID, p.l.cell(cells, ColID))
	return !idLike(id) && headerKey(id) == p.idHeader
}

// idLike reports whether s has the shape of an ID number, which no header
// text has: most rows are then told apart from a repeated header without
// computing a header key.
func idLike(s string) bool {
	if len(s) != 18 && len(s) != 15 {
		return false
	}
	for i := range len(s) {
		if (s[i] < '0' || s[i] > '9') && !(i == 17 && (s[i] == 'X' || s[i] == 'x')) {
			return false
		}
	}
	return true
}

// clean folds full-width characters and stray spaces; notes keep their
// line breaks.
func clean(c Column, s string) string {
	if c == ColNotes {
		return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	}
	return valid.Normalize(s)
}

// unknownValues collects the non-empty cells of unknown columns.
func (p *parser) unknownValues(cells []string) []extraItem {
	var out []extraItem
	for _, i := range p.l.unknown {
		if i < len(cells) {
			if v := valid.Normalize(cells[i]); v != "" {
				out = append(out, extraItem{p.l.headers[i], v})
			}
		}
	}
	return out
}

// identity checks the name and ID number, without which a row is nobody.
func (p *parser) identity(e *entry) *Problem {
	if e.cells[ColName] == "" && e.cells[ColID] == "" {
		return &Problem{Row: e.row, Key: "ledger.row.no_person"}
	}
	id, err := valid.ParseID(e.cells[ColID], p.today)
	if err != nil {
		prob := problemOf(e.row, p.l.colName(ColID), Rejected, err)
		return &prob
	}
	e.id = id.Number
	if _, err := valid.ParseName(e.cells[ColName]); err != nil {
		prob := problemOf(e.row, p.l.colName(ColName), Rejected, err)
		return &prob
	}
	return nil
}

// signature hashes the row's content without running numbers (序号), which
// differ between copies of the same row. A hash rather than the text: the
// first row of every ID number is kept until the import ends. Two rows
// with one ID number but other content would be taken for copies only if
// their 64-bit hashes, seeded anew by every run, collided.
func (e *entry) signature() uint64 {
	var h maphash.Hash
	h.SetSeed(sigSeed)
	for _, c := range e.cells {
		h.WriteString(c)
		h.WriteByte(0x1f)
	}
	for _, x := range e.extra {
		h.WriteString(x.column)
		h.WriteString(extraSep)
		h.WriteString(x.value)
		h.WriteByte(0x1f)
	}
	return h.Sum64()
}

var sigSeed = maphash.MakeSeed()

// checkSex compares the 性别 cell with the sex the ID number encodes; the
// ID wins because the store derives sex from it.
func (p *parser) checkSex(e *entry) {
	v := e.cells[ColSex]
	if v == "" {
		return
	}
	want := "female"
	if id, _ := valid.ParseID(e.id, p.today); id.Male {
		want = "male"
	}
	if code, ok := lookup("sex", v); !ok || code != want {
		e.warn(p.l.colName(ColSex), "ledger.row.sex_mismatch", e.cells[ColSex], store.EnumLabel("sex", want))
	}
}

func (e *entry) warn(column, key string, args ...any) {
	e.problems = append(e.problems, Problem{Row: e.row, Column: column, Severity: Warning, Key: key, Args: args})
}

// setPerson fills the person fields of non-empty cells: an empty cell
// never clears what the database holds. A value a vocabulary does not list
// is set aside as written, reported, and its field left for the officer.
func (p *parser) setPerson(e *entry) {
	for c, f := range personFields {
		v := e.cells[c]
		if v == "" {
			continue
		}
		if vocabOf[c] != "" {
			code, ok := p.vocabValue(e, c, v)
			if !ok {
				p.setAside(e, c, &valid.Error{Code: valid.CodeEnum, Value: v})
				if code == "" {
					continue
				}
			} else {
				e.drop.add(c)
			}
			e.person[f] = code
			continue
		}
		e.person[f] = v
		e.drop.add(c)
	}
	e.person["id_number"] = e.id
}

// vocabValue maps a cell through its column's vocabulary. A drug list maps
// item by item: ok is false when an item is unknown, and code then holds
// the items that are known, so that none of them is lost.
func (p *parser) vocabValue(e *entry, c Column, v string) (code string, ok bool) {
	if c != ColDrugs {
		code, ok = lookup(vocabOf[c], v)
		return code, ok
	}
	var codes []string
	ok = true
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",，、/;；+ ", r) }) {
		if code, known := lookup("drug", part); known {
			codes = append(codes, code)
		} else {
			ok = false
		}
	}
	return strings.Join(codes, ","), ok
}

// setMeasure reads the measure columns; bad values are set aside with a
// warning and the person is still imported.
func (p *parser) setMeasure(e *entry) {
	if v := e.cells[ColMeasureType]; v != "" {
		switch code, ok := lookup("measure_type", v); {
		case !ok:
			p.setAside(e, ColMeasureType, &valid.Error{Code: valid.CodeEnum, Value: v})
		case code == "social": // dynamic control: a category, no measure
			e.person["category"] = code
			e.drop.add(ColMeasureType)
		default:
			e.measure["type"] = code
			e.drop.add(ColMeasureType)
		}
	}
	for c, f := range measureDates {
		if v := e.cells[c]; v != "" {
			d, err := valid.ParseDate(v)
			if err != nil {
				p.setAside(e, c, err)
				continue
			}
			e.measure[f] = valid.FormatDate(d)
			e.drop.add(c)
		}
	}
	if v := e.cells[ColDecisionNo]; v != "" {
		e.measure["decision_no"] = v
		e.drop.add(ColDecisionNo)
	}
}

// measureDates are the date columns of the measure and their fields.
var measureDates = map[Column]string{ColStart: "start_date", ColEnd: "planned_end", ColReportIn: "report_in_date"}

// setAside keeps a value the store cannot take in ledger_extra and warns.
func (p *parser) setAside(e *entry, c Column, err error) {
	e.extra = append(e.extra, extraItem{c.Name(), e.cells[c]})
	e.problems = append(e.problems, problemOf(e.row, p.l.colName(c), Warning, err))
}

// vocabOf names the vocabulary (assets/vocab/ledger_values.json) of each
// column whose values are a closed list.
var vocabOf = map[Column]string{ColSex: "sex", ColEthnicity: "ethnicity", ColMeasureType: "measure_type",
	ColDrugs: "drug", ColRisk: "risk", ColEmployment: "employment", ColLastResult: "test_result"}

// vocabularies are the accepted spellings, keyed by valueKey.
var vocabularies = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, m := range assets.LedgerValues() {
		keyed := make(map[string]string, len(m))
		for spelling, code := range m {
			keyed[valueKey(spelling)] = code
		}
		out[name] = keyed
	}
	return out
})

// valueKey folds what officers type differently for one word: full-width
// forms, spaces anywhere, the case of Latin letters (K粉, k粉).
func valueKey(v string) string {
	return strings.ToUpper(strings.Join(strings.Fields(valid.Normalize(v)), ""))
}

// lookup finds the code of a whole cell in a vocabulary: never by prefix
// or substring ("强制隔离戒毒" contains "戒毒", "无" begins 无劳动能力).
func lookup(vocab, v string) (string, bool) {
	code, ok := vocabularies()[vocab][valueKey(v)]
	return code, ok
}

// villageMap finds a township's villages by name.
type villageMap struct {
	byName, byStem map[string]string
	names          map[string]string // code -> name
}

func newVillageMap(township string) *villageMap {
	m := &villageMap{byName: map[string]string{}, byStem: map[string]string{}, names: map[string]string{}}
	for _, d := range assets.Villages(township) {
		m.names[d.Code] = d.Name
		for _, n := range []string{d.Name, shortVillage(d.Name)} {
			if _, dup := m.byName[n]; !dup {
				m.byName[n] = d.Code
			}
		}
		if s := villageStem(d.Name); s != "" {
			if _, dup := m.byStem[s]; !dup {
				m.byStem[s] = d.Code
			}
		}
	}
	return m
}

// committeeSuffixes end the official names of villages' committees:
// ledgers write 双坝村 for 双坝村村民委员会.
var committeeSuffixes = []string{"村民委员会", "居民委员会", "社区居委会", "村委会", "居委会"}

// villageSuffixes end village names once the committee is cut off.
var villageSuffixes = []string{"社区", "村", "居"}

// shortVillage is the name as a ledger writes it: 双坝村, 九洲巷社区.
func shortVillage(name string) string {
	for _, s := range committeeSuffixes {
		if t, ok := strings.CutSuffix(name, s); ok && t != "" {
			if s == "社区居委会" {
				return t + "社区"
			}
			if s == "居民委员会" && !strings.HasSuffix(t, "社区") {
				return t + "社区"
			}
			return t
		}
	}
	return name
}

// villageStem is the bare place name: 红星 for 红星村 and 红星村村民委员会.
func villageStem(name string) string {
	name = shortVillage(name)
	for _, s := range villageSuffixes {
		if t, ok := strings.CutSuffix(name, s); ok && t != "" {
			return t
		}
	}
	return name
}

// code looks a village up by exact name, by name without the ending, or by
// its own 12-digit code.
func (m *villageMap) code(v string) (string, bool) {
	if _, ok := m.names[v]; ok {
		return v, true
	}
	if c, ok := m.byName[v]; ok {
		return c, true
	}
	c, ok := m.byStem[villageStem(v)]
	return c, ok
}

// name returns the ledger name of a village code ("" when unknown).
func (m *villageMap) name(code string) string { return shortVillage(m.names[code]) }

// setVillage maps the village name to its code in the township; a name
// the division list does not know is kept as text.
func (p *parser) setVillage(e *entry) {
	v := e.cells[ColVillage]
	if v == "" {
		return
	}
	if code, ok := p.villages.code(v); ok {
		e.person["village"] = code
		e.drop.add(ColVillage)
		return
	}
	e.extra = append(e.extra, extraItem{ColVillage.Name(), v})
	e.warn(p.l.colName(ColVillage), "ledger.row.village_unknown", v)
}

// VillageCode finds a village of a township by the name a ledger or an
// officer writes (双坝村, 双坝, 双坝村村民委员会) or by its 12-digit code.
func VillageCode(township, name string) (string, bool) {
	return newVillageMap(township).code(valid.Normalize(name))
}
