package app

import "rehabdesk/assets"

// errNoChoice asks the officer to pick one of a dialog's options.
var errNoChoice = keyedErr("duty.no_choice")

// keyedErr is an error of the GUI's own that names its translation key.
type keyedErr string

func (e keyedErr) Error() string { return string(e) }

// MessageKey gives the translation key (see app/msg).
func (e keyedErr) MessageKey() (string, []any) { return string(e), nil }

// receivingTownships are the townships a person may be transferred to:
// the other townships of this township's county. The county server that
// carries the file to them serves one county, so a township of another
// county would never receive it; such a move goes through the county
// office (县禁毒办).
func receivingTownships(own string) []assets.Division {
	var out []assets.Division
	for _, d := range assets.Townships(assets.CountyOf(own)) {
		if d.Code != own {
			out = append(out, d)
		}
	}
	return out
}

// onTransfer starts a transfer (变更执行地, 戒毒条例 art. 22): the officer
// picks the receiving township from the divisions; the person's file moves
// there and leaves this township's lists, and the receiving township has
// 15 days for the person to report in.
func (pd *personDuties) onTransfer() {
	f := pd.f
	towns := receivingTownships(f.ui.st.Township())
	dd := pd.start()
	sel := dd.choice("township", T("duty.to_township"), divisionNames(towns), -1)
	dd.entry("day", T("duty.transfer_day"), pd.today())
	name := f.rec.Get("name")
	dd.show(T("duty.transfer_title"), T("duty.transfer_ok"), T("duty.transfer_note", name), func() error {
		i := sel.SelectedIndex()
		if i < 0 {
			return errNoChoice
		}
		return f.ui.st.StartTransfer(f.ui.ctx, f.id, towns[i].Code, dd.value("day"))
	}, func() {
		// The file belongs to the other township now: back to the list,
		// where the home screen names where the person went.
		f.ps.sh.personAlerts(f.id)
		f.ps.closePerson()
		f.ui.showMessage(T("duty.transfer_title"), T("duty.transferred", name, assets.Name(towns[sel.SelectedIndex()].Code)))
	})
}
