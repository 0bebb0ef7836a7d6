package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/version"
)

// settingsScreen (设置): language, theme, password, and what is not
// available yet said plainly.
type settingsScreen struct {
	sh     *shell
	ui     *UI
	lang   *choiceInput
	theme  *choiceInput
	oldPw  *widget.Entry
	newPw  *widget.Entry
	newPw2 *widget.Entry
}

func newSettings(sh *shell) *settingsScreen {
	s := &settingsScreen{sh: sh, ui: sh.ui}
	s.lang = newChoiceInput([]string{LangZH, LangEN}, []string{"中文", "English"}, true)
	s.lang.set(currentLang)
	s.lang.onChanged(s.onLang)
	s.theme = newChoiceInput([]string{ThemeSystem, ThemeLight, ThemeDark},
		[]string{T("settings.theme_system"), T("settings.theme_light"), T("settings.theme_dark")}, true)
	s.theme.set(sh.ui.app.Preferences().StringWithFallback(prefTheme, ThemeSystem))
	s.theme.onChanged(s.onTheme)
	s.oldPw = &widget.Entry{Password: true}
	s.newPw = &widget.Entry{Password: true}
	s.newPw2 = &widget.Entry{Password: true, OnSubmitted: func(string) { s.onPassword() }}
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject {
	look := &widget.Form{Items: []*widget.FormItem{
		{Text: T("settings.language"), Widget: s.lang.s},
		{Text: T("settings.theme"), Widget: s.theme.s},
	}}
	pw := &widget.Form{Items: []*widget.FormItem{
		{Text: T("settings.old_password"), Widget: s.oldPw},
		{Text: T("settings.new_password"), Widget: s.newPw},
		{Text: T("settings.new_password2"), Widget: s.newPw2},
	}}
	change := &widget.Button{Text: T("settings.change_password"), OnTapped: s.onPassword}
	info := &widget.Label{Text: T("settings.database", s.ui.path)}
	release := &widget.Label{Text: T("settings.version", version.Get().String())}
	general := container.NewVScroll(container.NewVBox(
		heading(T("settings.look")), look, widget.NewSeparator(),
		heading(T("settings.account", s.ui.st.Session().User)), pw, container.NewHBox(change), widget.NewSeparator(), info, release))
	tabs := container.NewAppTabs(container.NewTabItem(T("settings.general"), general))
	if s.ui.st.Session().Role == "officer" {
		tabs.Append(container.NewTabItem(T("settings.server"), newEnrollForm(s.sh).content()))
		tabs.Append(container.NewTabItem(T("settings.thresholds"), newThresholdForm(s.ui).content()))
		tabs.Append(container.NewTabItem(T("settings.backup"), newBackupForm(s.ui).content()))
		tabs.Append(container.NewTabItem(T("settings.accounts"), newAccountsView(s.ui).content()))
		audit := newAuditView(s.ui)
		auditTab := container.NewTabItem(T("settings.audit"), audit.content())
		tabs.Append(auditTab)
		tabs.OnSelected = func(t *container.TabItem) {
			if t == auditTab {
				audit.refresh()
			}
		}
	}
	return tabs
}

func heading(text string) fyne.CanvasObject {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}}
}

func (s *settingsScreen) refresh() {}

// onLang saves the language and rebuilds the main window in it.
func (s *settingsScreen) onLang() {
	code := s.lang.value()
	if code == currentLang {
		return
	}
	s.ui.app.Preferences().SetString(prefLang, code)
	if err := useLanguage(code); err != nil {
		s.ui.showError(err)
		return
	}
	s.ui.win.SetTitle(T("app.title"))
	s.ui.signedIn(s.ui.st)
	s.ui.shell.show(navSettings)
}

func (s *settingsScreen) onTheme() {
	mode := s.theme.value()
	s.ui.app.Preferences().SetString(prefTheme, mode)
	s.ui.app.Settings().SetTheme(newTheme(mode))
}

func (s *settingsScreen) onPassword() {
	if s.newPw.Text != s.newPw2.Text {
		s.ui.showMessage(T("settings.change_password"), T("firstrun.mismatch"))
		return
	}
	if err := s.ui.st.ChangePassword(s.ui.ctx, s.oldPw.Text, s.newPw.Text); err != nil {
		s.ui.showError(err)
		return
	}
	for _, e := range []*widget.Entry{s.oldPw, s.newPw, s.newPw2} {
		e.SetText("")
	}
	s.ui.showMessage(T("settings.change_password"), T("settings.password_changed"))
}
