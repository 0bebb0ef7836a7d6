package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"

	"fyne.io/fyne/v2"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// batchScope is a choice of the scope list: everyone due, one village or
// one 专干's persons.
type batchScope struct {
	village, staff string // both "" for everyone
}

// refresh reads who is due by the end of the batch date's month, as the
// rules compute it, and lists the chosen scope with the results typed for
// each person still shown.
func (b *batchScreen) refresh() {
	if b.modes == nil {
		return // not built yet
	}
	day, err := b.day()
	if err != nil {
		b.ui.showError(err)
		return
	}
	b.gen++
	gen, ctx, st, rule := b.gen, b.ui.ctx, b.ui.st, b.mode.rule
	// Reading every record of a large township takes seconds: off the UI
	// thread, and fresh each time, as another process may have written.
	b.ui.opt.Background(func() {
		due, err := loadDue(ctx, st, rule, day.MonthEnd())
		fyne.Do(func() {
			if gen != b.gen {
				return // a newer refresh is under way
			}
			if err != nil {
				b.ui.showError(err)
				return
			}
			b.due = due
			b.staff = b.staffNames()
			b.resetScopes()
			b.applyScope()
		})
	})
}

// loadDue reads the township and lists who is due for rule by end.
func loadDue(ctx context.Context, st *store.Store, rule rules.Rule, end rules.Day) ([]rules.DueItem, error) {
	data, th, err := rules.Load(ctx, st)
	if err != nil {
		return nil, err
	}
	return rules.DueBy(data, rule, end, th), nil
}

// staffNames maps staff ids to names for the scope list.
func (b *batchScreen) staffNames() map[string]string {
	out := map[string]string{}
	roster, _ := b.ui.st.Roster(b.ui.ctx) // a volunteer reads no roster: ids stay unnamed
	for _, r := range roster {
		out[r.ID] = r.Get("name")
	}
	return out
}

// resetScopes offers everyone due, each village and each 专干 of the due
// persons, keeping the chosen one when it is still offered.
func (b *batchScreen) resetScopes() {
	villages, staff := map[string]bool{}, map[string]bool{}
	for _, it := range b.due {
		villages[it.Person.Village] = true
		staff[it.Person.CurrentStaff()] = true
	}
	b.scopes = []batchScope{{}}
	opts := []string{T("batch.scope_all")}
	for _, v := range slices.Sorted(maps.Keys(villages)) {
		if v != "" {
			b.scopes, opts = append(b.scopes, batchScope{village: v}), append(opts, T("batch.scope_village", assets.Name(v)))
		}
	}
	for _, s := range b.sortedStaff(staff) {
		b.scopes, opts = append(b.scopes, batchScope{staff: s}), append(opts, T("batch.scope_staff", b.staff[s]))
	}
	old := b.scope.Selected
	b.scope.Options = opts
	b.scope.OnChanged = nil // set quietly; applyScope follows
	b.scope.SetSelectedIndex(max(0, slices.Index(opts, old)))
	b.scope.OnChanged = func(string) { b.applyScope() }
}

// sortedStaff orders the named staff members by name.
func (b *batchScreen) sortedStaff(ids map[string]bool) []string {
	var out []string
	for id := range ids {
		if id != "" && b.staff[id] != "" {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return b.staff[out[i]] < b.staff[out[j]] })
	return out
}

// applyScope builds one row per due person of the chosen scope and puts
// the keyboard focus on the first.
func (b *batchScreen) applyScope() {
	sc := batchScope{}
	if i := b.scope.SelectedIndex(); i >= 0 && i < len(b.scopes) {
		sc = b.scopes[i]
	}
	b.shown, b.rows = b.shown[:0], b.rows[:0]
	b.box.RemoveAll()
	for _, it := range b.due {
		p := it.Person
		if (sc.village != "" && p.Village != sc.village) || (sc.staff != "" && p.CurrentStaff() != sc.staff) {
			continue
		}
		r := newBatchRow(b, len(b.rows), rowNumber(len(b.rows)), p.Name, assets.Name(p.Village), formatDate(it.Due.String()))
		b.shown, b.rows = append(b.shown, it), append(b.rows, r)
		b.box.Add(r)
		if v := b.typed[p.ID]; v != "" {
			r.set(v)
		}
	}
	b.box.Refresh()
	b.scroll.ScrollToTop()
	b.updateSummary()
	b.focusRow(0)
}

// focusRow gives row i the keyboard focus; past the last row, the save
// button has it, so that Space saves. It does nothing while the page is
// not on the window: the list is also read when the page is built at
// sign-in, behind 首页, and may arrive after the officer moved on; Fyne
// logs an error for a focus on an object the window does not show. A page
// opened for the first time is not in the window's tree until drawn: the
// focus then waits for that.
func (b *batchScreen) focusRow(i int) {
	if i < 0 || !b.sh.showing(navBatch) {
		return
	}
	var target fyne.Focusable = b.save
	if i < len(b.rows) {
		target = b.rows[i]
	}
	c := b.ui.win.Canvas()
	if c.Focus(target); c.Focused() != target {
		fyne.Do(func() {
			if b.sh.showing(navBatch) {
				c.Focus(target)
			}
		})
	}
}

// scrollTo keeps a focused row inside the visible part of the list.
func (b *batchScreen) scrollTo(r *batchRow) {
	top, h := r.Position().Y, r.Size().Height
	off := b.scroll.Offset.Y
	switch {
	case top < off:
		off = top
	case top+h > off+b.scroll.Size().Height:
		off = top + h - b.scroll.Size().Height
	default:
		return
	}
	b.scroll.ScrollToOffset(fyne.NewPos(0, off))
}

// updateSummary counts the results typed so far, by result.
func (b *batchScreen) updateSummary() {
	counts, done := b.counts()
	text := T("batch.summary", done, len(b.rows))
	for _, code := range b.mode.keys {
		if counts[code] > 0 {
			text += fmt.Sprintf("　%s %d", b.label(code), counts[code])
		}
	}
	if len(b.rows) == 0 {
		text = T("batch.none_due")
	}
	b.summary.SetText(text)
}

// counts tallies the rows by result; done is how many have one.
func (b *batchScreen) counts() (map[string]int, int) {
	counts, done := map[string]int{}, 0
	for _, r := range b.rows {
		if r.value != "" {
			counts[r.value]++
			done++
		}
	}
	return counts, done
}
