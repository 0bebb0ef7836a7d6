package main

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"rehabdesk/store/report"
	"rehabdesk/store/rules"
	"rehabdesk/sync/server"
)

//go:embed workbench/*.html
var workbenchFiles embed.FS

// view is what the layout and every page template get.
type view struct {
	Lang, Title, Page string
	Session           *server.Session
	Admin             bool
	Path              string // the page's address, for the language toggle
	Nav               []navItem
	Data              any
	County            template.HTML // sections of the county page (report.WriteCountySection)
}

type navItem struct {
	Path, Key string
	Admin     bool
}

// nav lists the pages in the order of the menu.
var nav = []navItem{{"/townships", "wb.nav.townships", false}, {"/report", "wb.nav.report", false}, {"/police", "wb.nav.police", false},
	{"/devices", "wb.nav.devices", false}, {"/codes", "wb.nav.codes", true}, {"/accounts", "wb.nav.accounts", true},
	{"/targets", "wb.nav.targets", false}, {"/audit", "wb.nav.audit", false}}

// pageTemplates are the layout with each page's "content", by page name.
var pageTemplates = func() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":    func(lang, key string, args ...any) string { return wbT(lang, key, args...) },
		"rt":   func(lang, key string, args ...any) string { return report.T(lang, key, args...) },
		"when": wbTime,
		"zero": func(t time.Time) bool { return t.IsZero() },
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(workbenchFiles, "workbench/layout.html"))
	names, _ := fs.Glob(workbenchFiles, "workbench/*.html")
	out := map[string]*template.Template{}
	for _, n := range names {
		page := strings.TrimSuffix(strings.TrimPrefix(n, "workbench/"), ".html")
		if page != "layout" {
			out[page] = template.Must(template.Must(base.Clone()).ParseFS(workbenchFiles, n))
		}
	}
	return out
}()

func wbTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(rules.ChinaTime).Format("2006-01-02 15:04")
}

// render writes a page: the layout around the page's content.
func (wb *workbench) render(rq *request, status int, page, titleKey string, data any) {
	wb.renderCounty(rq, status, page, titleKey, data, "")
}

func (wb *workbench) renderCounty(rq *request, status int, page, titleKey string, data any, county template.HTML) {
	v := &view{Lang: rq.lang, Title: wbT(rq.lang, titleKey), Page: page, Session: rq.session, Path: rq.URL.RequestURI(), Data: data, County: county}
	v.Admin = rq.session != nil && rq.session.Role == server.RoleAdmin
	for _, n := range nav {
		if !n.Admin || v.Admin {
			v.Nav = append(v.Nav, n)
		}
	}
	var buf bytes.Buffer
	if err := pageTemplates[page].Execute(&buf, v); err != nil {
		wb.log.Error("render workbench page", "page", page, "err", err)
		http.Error(rq.w, "page error", http.StatusInternalServerError)
		return
	}
	rq.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rq.w.WriteHeader(status)
	rq.w.Write(buf.Bytes())
}

// countySections renders parts of the county page (report.CountySections).
func countySections(p *report.CountyPage, sections ...string) (template.HTML, error) {
	var buf bytes.Buffer
	for _, s := range sections {
		if err := report.WriteCountySection(&buf, s, p); err != nil {
			return "", err
		}
	}
	return template.HTML(buf.String()), nil // html/template output, escaped there
}
