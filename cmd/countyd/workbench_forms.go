package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"rehabdesk/store/report"
	"rehabdesk/sync/server"
)

// forms are the workbench's POST actions; all but signing out are an
// administrator's.
func (wb *workbench) forms() map[string]route {
	admin := server.RoleAdmin
	return map[string]route{
		"/codes":            {admin, wb.issueCode},
		"/devices/revoke":   {admin, wb.revokeDevice},
		"/accounts/add":     {admin, wb.addAccount},
		"/accounts/disable": {admin, wb.accountState(false)},
		"/accounts/enable":  {admin, wb.accountState(true)},
		"/accounts/passwd":  {admin, wb.resetPassword},
		"/targets":          {admin, wb.setTargets},
	}
}

// done redirects after a change (post, redirect, get), with the message
// key of what was done.
func redirectDone(rq *request, path, key string) error {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	http.Redirect(rq.w, rq.Request, path+sep+"done="+key, http.StatusSeeOther)
	return nil
}

// refused shows why a form was refused (a known error), else passes the
// error on.
func (wb *workbench) refused(rq *request, err error) error {
	key := errorKey(err)
	if key == "" {
		return err
	}
	wb.render(rq, http.StatusUnprocessableEntity, "error", "wb.error.title", map[string]string{"Message": wbT(rq.lang, key)})
	return nil
}

func (wb *workbench) issueCode(ctx context.Context, rq *request) error {
	town, kind := rq.PostFormValue("township"), rq.PostFormValue("kind")
	hours, err := strconv.Atoi(rq.PostFormValue("hours"))
	if err != nil || hours < 1 || hours > 24*14 {
		return errBadForm
	}
	ttl := time.Duration(hours) * time.Hour
	var code string
	switch kind {
	case "township", "county":
		code, err = wb.srv.NewEnrollCode(ctx, town, kind == "county", ttl)
	case "volunteer":
		code, err = wb.srv.NewVolunteerCode(ctx, town, strings.TrimSpace(rq.PostFormValue("volunteer")), ttl)
	case "device":
		code, err = wb.srv.NewReenrollCode(ctx, strings.TrimSpace(rq.PostFormValue("device")), ttl)
	default:
		return errBadForm
	}
	if err != nil {
		return wb.refused(rq, err)
	}
	wb.audit(ctx, rq, "enrolment code issued", fmt.Sprintf("%s %s %s%s", kind, town, rq.PostFormValue("volunteer"), rq.PostFormValue("device")))
	return wb.codesPage(ctx, rq, map[string]string{"Code": code, "Until": wbTime(wb.now().Add(ttl))})
}

func (wb *workbench) revokeDevice(ctx context.Context, rq *request) error {
	dev := rq.PostFormValue("device")
	if err := wb.srv.Revoke(ctx, dev); err != nil {
		return wb.refused(rq, err)
	}
	wb.audit(ctx, rq, "device revoked", dev)
	return redirectDone(rq, "/devices", "revoked")
}

func (wb *workbench) addAccount(ctx context.Context, rq *request) error {
	name, role := rq.PostFormValue("name"), rq.PostFormValue("role")
	if err := wb.srv.AddAccount(ctx, name, role, rq.PostFormValue("password")); err != nil {
		return wb.refused(rq, err)
	}
	wb.audit(ctx, rq, "account added", server.NormUser(name)+" "+role)
	return redirectDone(rq, "/accounts", "added")
}

// errSelf refuses an administrator's disabling of their own account.
var errSelf = errors.New("an administrator cannot disable their own account")

// accountState disables or enables an account; an administrator cannot
// disable their own (the county would be left without one by mistake).
func (wb *workbench) accountState(enable bool) handlerFunc {
	return func(ctx context.Context, rq *request) error {
		name := server.NormUser(rq.PostFormValue("name"))
		var err error
		switch {
		case enable:
			err = wb.srv.EnableAccount(ctx, name)
		case name == rq.session.Account:
			return wb.refused(rq, errSelf)
		default:
			err = wb.srv.DisableAccount(ctx, name)
		}
		if err != nil {
			return wb.refused(rq, err)
		}
		action := map[bool]string{true: "enabled", false: "disabled"}[enable]
		wb.audit(ctx, rq, "account "+action, name)
		return redirectDone(rq, "/accounts", action)
	}
}

func (wb *workbench) resetPassword(ctx context.Context, rq *request) error {
	name := server.NormUser(rq.PostFormValue("name"))
	if err := wb.srv.SetPassword(ctx, name, rq.PostFormValue("password")); err != nil {
		return wb.refused(rq, err)
	}
	wb.audit(ctx, rq, "password set", name)
	return redirectDone(rq, "/accounts", "password")
}

// setTargets stores the year's figures: a number sets one, an empty field
// removes it.
func (wb *workbench) setTargets(ctx context.Context, rq *request) error {
	year, err := strconv.Atoi(rq.PostFormValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return errBadForm
	}
	figs := map[string]int{}
	for _, k := range targetFields() {
		text := strings.TrimSpace(rq.PostFormValue(k.kind + "." + k.name))
		v := -1
		if text != "" {
			if v, err = strconv.Atoi(text); err != nil || v < 0 || v > 1_000_000 {
				return errBadForm
			}
		}
		figs[k.kind+"."+k.name] = v
	}
	var set []server.YearFigure
	for _, k := range targetFields() {
		set = append(set, server.YearFigure{Kind: k.kind, Name: k.name, Value: figs[k.kind+"."+k.name]})
	}
	county, err := wb.figuresCounty(ctx)
	if err != nil {
		return err
	}
	if err := wb.srv.SetYearFigures(ctx, county, year, set); err != nil {
		return err
	}
	wb.audit(ctx, rq, "targets set", fmt.Sprint(year, figs))
	return redirectDone(rq, fmt.Sprintf("/targets?year=%d", year), "saved")
}

type targetField struct{ kind, name string }

func targetFields() []targetField {
	var out []targetField
	for _, d := range report.TargetDefs {
		out = append(out, targetField{server.TargetKind, d.Name})
	}
	return append(out, targetField{server.PoliceKind, "found"}, targetField{server.PoliceKind, "compulsory"})
}
