package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// screen is one page of the main window.
type screen interface {
	content() fyne.CanvasObject
	// refresh reloads what the page shows from the store; called each time
	// the page is opened, since other pages may have changed the data.
	refresh()
}

// Navigation entries, in the order of the side bar.
const (
	navHome = iota
	navPeople
	navBatch
	navVolunteers
	navStaff
	navSync
	navImport
	navSettings
)

// shell is the main window after sign-in: a side bar of pages and a top
// bar with the township, the signed-in user and the lock button.
type shell struct {
	ui      *UI
	tabs    *container.AppTabs
	screens []screen

	home       *homeScreen
	people     *peopleScreen
	batch      *batchScreen
	volunteers *volunteerScreen
	staff      *staffScreen
	sync       *syncScreen
	ledger     *ledgerScreen
	settings   *settingsScreen
	stopAuto   func()

	// live is the township's data as the rules engine reads it, loaded once
	// in the background; nil until loaded or after a bulk change.
	live *rules.Live
	// alerted are the persons with at least one alert at the last
	// evaluation, for the people list's "has alerts" filter.
	alerted map[string]bool
}

func newShell(u *UI) *shell {
	s := &shell{ui: u}
	s.home = newHome(s)
	s.people = newPeople(s)
	s.batch = newBatch(s)
	s.volunteers = newVolunteers(s)
	s.staff = newStaffScreen(s)
	s.sync = newSyncScreen(s)
	s.ledger = newLedgerScreen(s)
	s.settings = newSettings(s)
	s.screens = []screen{s.home, s.people, s.batch, s.volunteers, s.staff, s.sync, s.ledger, s.settings}
	return s
}

func (s *shell) content() fyne.CanvasObject {
	items := []*container.TabItem{
		container.NewTabItemWithIcon(T("nav.home"), theme.HomeIcon(), page(s.home.content())),
		container.NewTabItemWithIcon(T("nav.people"), theme.AccountIcon(), page(s.people.content())),
		container.NewTabItemWithIcon(T("nav.batch"), theme.ListIcon(), s.batch.content()),
		container.NewTabItemWithIcon(T("nav.volunteers"), theme.ContentCopyIcon(), page(s.volunteers.content())),
		container.NewTabItemWithIcon(T("nav.staff"), theme.AccountIcon(), page(s.staff.content())),
		container.NewTabItemWithIcon(T("nav.sync"), theme.ViewRefreshIcon(), page(s.sync.content())),
		container.NewTabItemWithIcon(T("nav.import"), theme.DownloadIcon(), page(s.ledger.content())),
		container.NewTabItemWithIcon(T("nav.settings"), theme.SettingsIcon(), page(s.settings.content())),
	}
	s.tabs = container.NewAppTabs(items...)
	s.tabs.SetTabLocation(container.TabLocationLeading)
	s.tabs.OnSelected = func(*container.TabItem) { s.onNav() }
	s.home.refresh()
	s.stopAuto = s.sync.startAuto(autoSyncEvery)
	return container.NewBorder(s.topBar(), nil, nil, nil, s.tabs)
}

// page lets a page scroll rather than grow the window: a page taller
// than the screen (1280×720 laptops) made Fyne enlarge the window past
// it, hiding the buttons at the bottom (TestEveryScreenAndDialogFitsTheSmallScreen).
func page(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(o) }

// autoSyncEvery is how often a signed-in, enrolled device syncs by itself.
const autoSyncEvery = 10 * time.Minute

// close stops what the shell runs in the background.
func (s *shell) close() {
	if s.stopAuto != nil {
		s.stopAuto()
		s.stopAuto = nil
	}
}

// reloadAlerts drops the loaded rules data after a change to many records
// (import, sync, merge, thresholds, volunteers); Home reloads it.
func (s *shell) reloadAlerts() { s.live = nil }

// personAlerts re-reads one person after an edit of their file, keeps the
// loaded township data current and returns that person's alerts.
func (s *shell) personAlerts(id string) []rules.Alert {
	st := s.ui.st
	if st.Session().Role == "volunteer" {
		return nil // a volunteer cannot read what the rules need
	}
	if s.live != nil {
		as, err := s.live.Refresh(s.ui.ctx, st, id, rules.Today(st))
		if err == nil {
			return as
		}
	}
	p, err := rules.LoadPerson(s.ui.ctx, st, id)
	if err != nil {
		return nil
	}
	settings, _ := st.List(s.ui.ctx, store.KindSetting, store.ListFilter{})
	th := rules.ThresholdsFrom(settings)
	return rules.ForPerson(p, rules.Today(st), &th)
}

// showing reports whether the page of a nav index is the one on the window.
func (s *shell) showing(i int) bool {
	return s.ui.shell == s && s.tabs != nil && s.tabs.SelectedIndex() == i
}

// show opens a page by its nav index.
func (s *shell) show(i int) {
	s.tabs.SelectIndex(i)
	s.onNav()
}

func (s *shell) onNav() {
	s.ui.idle.Touch()
	// Another program (a command-line import) may have written the
	// database meanwhile: show its persons too.
	if reloaded, _ := s.ui.st.CatchUp(s.ui.ctx); reloaded {
		s.reloadAlerts()
		s.people.apply()
	}
	s.people.setShown(s.tabs.SelectedIndex() == navPeople)
	if i := s.tabs.SelectedIndex(); i >= 0 && i < len(s.screens) {
		s.screens[i].refresh()
	}
}

func (s *shell) topBar() fyne.CanvasObject {
	town := s.ui.st.Township()
	if d, ok := assets.Township(town); ok {
		town = d.Name + "（" + d.Code + "）"
	}
	sess := s.ui.st.Session()
	who := &widget.Label{Text: T("shell.user", sess.User, T("role."+sess.Role))}
	lock := &widget.Button{Text: T("shell.lock"), Icon: theme.LogoutIcon(), OnTapped: s.ui.lockNow}
	title := &widget.Label{Text: T("app.title") + " · " + town, TextStyle: fyne.TextStyle{Bold: true}}
	return container.NewVBox(container.NewBorder(nil, nil, title, container.NewHBox(who, lock)), widget.NewSeparator())
}
