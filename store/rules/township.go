package rules

import "strconv"

// placed are the employment codes that count as placed (安置).
// 务农, 外出务工 and 灵活就业 are how most employed persons in rural Guizhou
// are recorded.
var placed = map[string]bool{"central": true, "dispersed": true, "startup": true, "self": true, "public": true,
	"farming": true, "migrant": true, "flexible": true}

// Placed reports whether an employment code counts as a placement.
func Placed(code string) bool { return placed[code] }

// volunteerAlerts: insurance expiring within InsuranceDays (due soon) or
// already expired (overdue). A volunteer without a recorded expiry is not
// flagged: many townships insure volunteers collectively.
func volunteerAlerts(vs []Volunteer, today Day, t *Thresholds, out []Alert) []Alert {
	for _, v := range vs {
		if v.InsuranceExpiry == 0 {
			continue
		}
		left := int(v.InsuranceExpiry - today)
		var a Alert
		switch {
		case left < 0:
			a = newAlert(InsuranceExpiring, Overdue, "", v.InsuranceExpiry, "expired", v.Name, v.InsuranceExpiry, -left)
		case left <= t.InsuranceDays:
			a = newAlert(InsuranceExpiring, DueSoon, "", v.InsuranceExpiry, "", v.Name, v.InsuranceExpiry, left)
		default:
			continue
		}
		a.VolunteerID = v.ID
		out = append(out, a)
	}
	return out
}

// Staffing is the township's staffing against the ratios.
type Staffing struct {
	Staff       int `json:"staff"`         // full-time workers (禁毒专干 and 社工)
	Users       int `json:"users"`         // registered drug users (every live person file)
	UnderCare   int `json:"under_care"`    // persons under a measure (pending, active, suspended)
	ByUsers     int `json:"by_users"`      // required at 1 per UsersPerStaff users
	ByUnderCare int `json:"by_under_care"` // required at 1 per RehabPerStaff persons under measures
	Required    int `json:"required"`      // what the township must have
}

// StaffingOn counts the roster on a day (the monthly report's last day, the
// alerts' today) against the 1:30 / 1:20 ratios. The source says one per 30
// users *or* one per 20 persons under measures, so meeting either ratio
// suffices, with at least MinStaff; a ratio set to 0 is not applied.
func StaffingOn(d *Data, t *Thresholds, day Day) Staffing {
	s := Staffing{Users: len(d.Persons)}
	for _, st := range d.Staff {
		if st.OnRoster(day) {
			s.Staff++
		}
	}
	for _, p := range d.Persons {
		if m := p.CurrentMeasure(); m != nil && underMeasure(m.Status) && Community(m.Type) {
			s.UnderCare++
		}
	}
	return s.WithRatios(t)
}

// WithRatios works out what the township must have for its users and
// persons under care.
func (s Staffing) WithRatios(t *Thresholds) Staffing {
	s.ByUsers, s.ByUnderCare = ceilDiv(s.Users, t.UsersPerStaff), ceilDiv(s.UnderCare, t.RehabPerStaff)
	switch {
	case t.UsersPerStaff > 0 && t.RehabPerStaff > 0:
		s.Required = min(s.ByUsers, s.ByUnderCare)
	case t.UsersPerStaff > 0:
		s.Required = s.ByUsers
	case t.RehabPerStaff > 0:
		s.Required = s.ByUnderCare
	}
	s.Required = max(s.Required, t.MinStaff)
	return s
}

func ceilDiv(n, d int) int {
	if d <= 0 {
		return 0
	}
	return (n + d - 1) / d
}

// staffingAlert compares the roster with the ratios once it has been
// filled in: a township just created has its first 专干 signed in but no
// roster yet, and "专职人员 0 人" would be false. Until then, rosterAlert
// reminds the officer to fill it in.
func staffingAlert(d *Data, t *Thresholds, today Day, out []Alert) []Alert {
	if len(d.Staff) == 0 {
		return rosterAlert(d, t, today, out)
	}
	s := StaffingOn(d, t, today)
	if s.Staff >= s.Required {
		return out
	}
	return append(out, newAlert(StaffingShortfall, Overdue, "", 0, "", s.Staff, s.Required,
		s.Users, t.UsersPerStaff, s.ByUsers, s.UnderCare, t.RehabPerStaff, s.ByUnderCare))
}

// rosterAlert: persons have been entered for RosterGraceDays and the
// roster still holds nobody. The township is in use, so an empty roster
// is no longer a first day's, and without it the staffing ratio is never
// checked. A grace of 0 turns the reminder off.
func rosterAlert(d *Data, t *Thresholds, today Day, out []Alert) []Alert {
	first := firstRegistered(d.Persons)
	if first == 0 || t.RosterGraceDays <= 0 {
		return out
	}
	due := first.AddDays(t.RosterGraceDays)
	if today < due {
		return out
	}
	return append(out, newAlert(StaffRosterEmpty, Info, "", due, "", first, int(today-first)))
}

// firstRegistered is the day the first person file was entered, 0 for none.
func firstRegistered(ps []*Person) Day {
	var first Day
	for _, p := range ps {
		if p.Registered != 0 && (first == 0 || p.Registered < first) {
			first = p.Registered
		}
	}
	return first
}

// Employment is the placement count among persons in the community.
type Employment struct {
	InCommunity int            // persons whose measure is being executed
	Able        int            // of them, not recorded as unable to work
	Placed      int            // of them, placed in work
	ByKind      map[string]int // employment code → persons ("" = not recorded)
}

// EmploymentOf counts placements among persons whose measure is in
// progress (active or suspended).
func EmploymentOf(d *Data) Employment {
	e := Employment{ByKind: map[string]int{}}
	for _, p := range d.Persons {
		m := p.CurrentMeasure()
		if m == nil || !inProgress(m.Status) || !Community(m.Type) {
			continue
		}
		e.InCommunity++
		e.ByKind[p.Employment]++
		if p.Employment != "unable" {
			e.Able++
		}
		if placed[p.Employment] {
			e.Placed++
		}
	}
	return e
}

// Percent formats placed/able as a percentage with one decimal ("87.5").
func Percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	tenths := (n*1000 + of/2) / of
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

// placementAlert: the rate among persons able to work is below the target.
// Compared in integers so that 90% exactly does not fire.
func placementAlert(d *Data, t *Thresholds, out []Alert) []Alert {
	e := EmploymentOf(d)
	if e.Able == 0 || e.Placed*100 >= t.PlacementPercent*e.Able {
		return out
	}
	return append(out, newAlert(PlacementRate, Info, "", 0, "", Percent(e.Placed, e.Able), e.Placed, e.Able, t.PlacementPercent))
}

// SiteRequirement is how many persons a county must place centrally (集中
// 安置) for its number of registered users: 0 below SiteUsers, SitePlaced
// from SiteUsers, BasePlaced from BaseUsers.
func SiteRequirement(users int, t *Thresholds) int {
	switch {
	case t.BaseUsers > 0 && users >= t.BaseUsers:
		return t.BasePlaced
	case t.SiteUsers > 0 && users >= t.SiteUsers:
		return t.SitePlaced
	}
	return 0
}
