package search

// Entry is the searchable summary of one person record.
type Entry struct {
	ID          string // record UUID
	Name        string // 张三, 阿依古丽·买买提; may hold characters outside the BMP
	IDNumber    string // 18-character resident ID number
	Village     string // 12-digit village code, "" if none
	Status      string // measure status code such as "active", "pending", "completed"
	MeasureType string // "detox", "rehab" or ""
	Risk        string // "high", "medium", "low" or ""
	HasAlert    bool   // an open alert exists for the person
	Updated     int64  // unix milliseconds of the last change
	EndDate     string // "2006-01-02", planned end of the current measure
}

// SortKey selects the order of search results.
type SortKey int

// Sort keys. Ties are broken by Entry.ID so that paging is stable. In
// ascending order entries whose key is empty come last; Desc reverses the
// order of the entries with a key and still lists the empty ones last.
const (
	SortName     SortKey = iota // pinyin of the name syllable by syllable, then the name
	SortIDNumber                // resident ID number
	SortVillage                 // village code
	SortStatus                  // status code
	SortRisk                    // unknown codes, then low, medium, high
	SortUpdated                 // last change, oldest first
	SortEndDate                 // planned end of the current measure, earliest first
	numSortKeys
)

// Query describes one search: free text, exact filters, order and page.
type Query struct {
	// Text matches a name substring, pinyin initials ("zs" finds 张三), full
	// pinyin ("zhangsan", "zhang san", "zhangs") or a mix ("张s"), under every
	// reading of polyphonic characters. Case, spaces, punctuation such as "·"
	// and full-width forms are ignored. Text made of digits and x, with at
	// least one digit, also matches any fragment of the ID number. Empty
	// matches all.
	Text string

	Village, Status, MeasureType, Risk string // exact filters, "" = any
	OnlyAlerts                         bool   // keep only entries with HasAlert

	// Allowed limits the search to the persons a user may see (volunteers see
	// only those assigned to them); nil allows all. It is called while the
	// index is read-locked and must not call back into the index.
	Allowed func(id string) bool

	Sort SortKey // an unknown key sorts by name
	Desc bool

	Offset int // entries to skip; negative counts as 0
	Limit  int // page size; 0 or negative returns all remaining matches
}

// Result is one page of matches.
type Result struct {
	Total   int     // number of matches before paging
	Entries []Entry // the page, in the requested order
}
